using Nabla.NN;
using TorchSharp;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.NN;

/// <summary>Embedding lookups against libtorch's: output and the weight's gradient (padding row, frequency scaling, max-norm).</summary>
public sealed class EmbeddingParityTests
{
    [Theory]
    [InlineData(null, false, null)]
    [InlineData(2, false, null)]
    [InlineData(-1, true, null)]
    [InlineData(null, false, 1.5)]
    public void Embedding_MatchesTorch(int? paddingIdx, bool scaleGradByFreq, double? maxNorm)
    {
        using var scope = torch.NewDisposeScope();
        var rng = new Random(5);
        var table = Enumerable.Range(0, 7 * 4).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
        long[] idx = [3, 2, 6, 3, 0, 2, 3, 1];
        var weight = NablaTensor.FromArray<float>(table, [7, 4], requiresGrad: true);
        var yn = maxNorm is null
            ? Functional.Embedding(NablaTensor.FromArray<long>(idx, [2, 4]), weight, paddingIdx, scaleGradByFreq: scaleGradByFreq)
            : new Func<NablaTensor>(() =>
            {
                var layer = Embedding.FromPretrained(NablaTensor.FromArray<float>(table, [7, 4]), freeze: false, paddingIdx, maxNorm, scaleGradByFreq: scaleGradByFreq);
                weight = layer.Weight;
                return layer.Call(NablaTensor.FromArray<long>(idx, [2, 4]));
            })();
        var oracle = torch.nn.Embedding_from_pretrained(TorchOracle.Tensor(table, [7, 4]), freeze: false, padding_idx: paddingIdx,
            max_norm: maxNorm, scale_grad_by_freq: scaleGradByFreq);
        var yt = oracle.call(torch.tensor(idx, [2, 4]));
        Parity.Close(Parity.Doubles(yt), Read(yn), Parity.Float32Tolerance, "output");

        var v = Enumerable.Range(0, 2 * 4 * 4).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
        yn.Mul(NablaTensor.FromArray<float>(v, [2, 4, 4])).Sum().Backward();
        (yt * TorchOracle.Tensor(v, [2, 4, 4])).sum().backward();
        Parity.Close(Parity.Doubles(oracle.weight!.grad!), Read(weight.Grad!), Parity.Float32Tolerance, "weight gradient");   // set by backward
        Parity.Close(Parity.Doubles(oracle.weight), Read(weight), Parity.Float32Tolerance, "weight after max-norm");
    }

    private static double[] Read(NablaTensor t) => [.. t.Contiguous().ToArray<float>().Select(v => (double)v)];
}
