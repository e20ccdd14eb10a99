using Nabla.NN;
using TorchSharp;
using Generator = Nabla.Tensors.Generator;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.NN;

/// <summary>The Transformer layers against libtorch's: an encoder layer post-norm (TorchSharp's own layer) and pre-norm
/// (composed from TorchSharp's MultiheadAttention, Linear and LayerNorm, which has no norm_first), and a full
/// nn.Transformer encoder-decoder with every mask, forward and backward, weights loaded by state dict with strict.</summary>
public sealed class TransformerParityTests
{
    private const double Tolerance = 2e-4;   // two or three layers of float32 attention, norms and GEMMs

    private static NablaTensor Randn(int[] shape, int seed) => NablaTensor.Randn(shape, generator: new Generator(seed));

    [Theory]
    [InlineData("relu")]
    [InlineData("gelu")]
    public void EncoderLayer_PostNorm_MatchesTorch(string activation)
    {
        using var scope = torch.NewDisposeScope();
        var oracle = torch.nn.TransformerEncoderLayer(16, 4, 32, 0.0, activation == "relu" ? torch.nn.Activations.ReLU : torch.nn.Activations.GELU);
        TorchState.Randomize(oracle, 400);
        var nabla = new TransformerEncoderLayer(16, 4, 32, dropout: 0, activation: activation);
        nabla.LoadStateDict(TorchState.StateDict(oracle), strict: true);

        var x = Randn([6, 3, 16], 1).RequiresGrad_();
        var xt = TorchState.ToTorch(x, requiresGrad: true);
        var mask = Transformer.GenerateSquareSubsequentMask(6);
        var padding = NablaTensor.FromArray<bool>([.. Enumerable.Range(0, 18).Select(i => i == 5 || i == 16 || i == 17)], [3, 6]);
        var yt = oracle.call(xt, TorchState.ToTorch(mask), TorchState.ToTorch(padding));
        var y = nabla.Forward(x, mask, padding);
        Parity.Close(Parity.Doubles(yt), TorchState.Read(y), Tolerance, "output");

        var up = Randn([6, 3, 16], 2);
        y.Mul(up).Sum().Backward();
        (yt * TorchState.ToTorch(up)).sum().backward();
        Parity.Close(Parity.Doubles(xt.grad!), TorchState.Read(x.Grad!), Tolerance, "input gradient");
        TorchState.AssertGradients(oracle.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter)), nabla, Tolerance);
    }

    [Fact]
    public void EncoderLayer_PreNorm_MatchesTorchComposition()
    {
        using var scope = torch.NewDisposeScope();
        const int e = 16, ff = 32;
        var selfAttn = torch.nn.MultiheadAttention(e, 4);
        var linear1 = torch.nn.Linear(e, ff);
        var linear2 = torch.nn.Linear(ff, e);
        var norm1 = torch.nn.LayerNorm(e);
        var norm2 = torch.nn.LayerNorm(e);
        var parts = new (string Name, torch.nn.Module Module)[] { ("self_attn", selfAttn), ("linear1", linear1), ("linear2", linear2), ("norm1", norm1), ("norm2", norm2) };
        var state = new Dictionary<string, NablaTensor>();
        for (int i = 0; i < parts.Length; i++)
        {
            TorchState.Randomize(parts[i].Module, 500 + i);
            foreach (var (k, v) in TorchState.StateDict(parts[i].Module, parts[i].Name + ".")) state[k] = v;
        }
        var nabla = new TransformerEncoderLayer(e, 4, ff, dropout: 0, normFirst: true);
        nabla.LoadStateDict(state, strict: true);

        var x = Randn([5, 2, e], 3).RequiresGrad_();
        var xt = TorchState.ToTorch(x, requiresGrad: true);
        var padding = NablaTensor.FromArray<bool>([false, false, false, false, true, false, false, false, true, true], [2, 5]);
        // PyTorch's norm_first branch: x = x + SA(norm1(x)); x = x + linear2(relu(linear1(norm2(x)))).
        var h = norm1.call(xt);
        var at = xt + selfAttn.call(h, h, h, TorchState.ToTorch(padding), false, null).Item1;
        var yt = at + linear2.call(torch.nn.functional.relu(linear1.call(norm2.call(at))));
        var y = nabla.Forward(x, null, padding);
        Parity.Close(Parity.Doubles(yt), TorchState.Read(y), Tolerance, "output");

        var up = Randn([5, 2, e], 4);
        y.Mul(up).Sum().Backward();
        (yt * TorchState.ToTorch(up)).sum().backward();
        Parity.Close(Parity.Doubles(xt.grad!), TorchState.Read(x.Grad!), Tolerance, "input gradient");
        var named = parts.SelectMany(p => p.Module.named_parameters().Select(q => (p.Name + "." + q.name, (torch.Tensor)q.parameter)));
        TorchState.AssertGradients(named, nabla, Tolerance);
    }

    [Fact]
    public void Transformer_EncoderDecoder_ForwardAndEveryGradient_MatchTorch()
    {
        using var scope = torch.NewDisposeScope();
        const int e = 16, heads = 4, s = 7, t = 5, n = 2;
        var oracle = torch.nn.Transformer(e, heads, 2, 2, 32, 0.0, torch.nn.Activations.ReLU);
        TorchState.Randomize(oracle, 600, scale: 0.2);
        var nabla = new Transformer(e, heads, 2, 2, 32, dropout: 0);
        var state = TorchState.StateDict(oracle);
        Assert.Equal(state.Keys.Order(), nabla.StateDict().Keys.Order());
        nabla.LoadStateDict(state, strict: true);

        var src = Randn([s, n, e], 5).RequiresGrad_();
        var tgt = Randn([t, n, e], 6).RequiresGrad_();
        var srcT = TorchState.ToTorch(src, requiresGrad: true);
        var tgtT = TorchState.ToTorch(tgt, requiresGrad: true);
        var tgtMask = Transformer.GenerateSquareSubsequentMask(t);
        var memoryMask = NablaTensor.Zeros([t, s]);
        memoryMask.SetFromDouble(2, double.NegativeInfinity);          // target 0 may not see source 2
        memoryMask.SetFromDouble(3 * s + 6, double.NegativeInfinity);  // target 3 may not see source 6
        var srcPadding = NablaTensor.FromArray<bool>([.. Enumerable.Range(0, n * s).Select(i => i == 6 || i >= 2 * s - 2)], [n, s]);
        var tgtPadding = NablaTensor.FromArray<bool>([.. Enumerable.Range(0, n * t).Select(i => i == 2 * t - 1)], [n, t]);

        var srcMask = NablaTensor.Zeros([s, s]);   // TorchSharp's call needs one; all zeros changes nothing
        var yt = oracle.call(srcT, tgtT, TorchState.ToTorch(srcMask), TorchState.ToTorch(tgtMask), TorchState.ToTorch(memoryMask),
            TorchState.ToTorch(srcPadding), TorchState.ToTorch(tgtPadding), TorchState.ToTorch(srcPadding));
        var y = nabla.Forward(src, tgt, srcMask: srcMask, tgtMask: tgtMask, memoryMask: memoryMask,
            srcKeyPaddingMask: srcPadding, tgtKeyPaddingMask: tgtPadding, memoryKeyPaddingMask: srcPadding);
        Parity.Close(Parity.Doubles(yt), TorchState.Read(y), Tolerance, "output");

        var up = Randn([t, n, e], 7);
        y.Mul(up).Sum().Backward();
        (yt * TorchState.ToTorch(up)).sum().backward();
        Parity.Close(Parity.Doubles(srcT.grad!), TorchState.Read(src.Grad!), Tolerance, "src gradient");
        Parity.Close(Parity.Doubles(tgtT.grad!), TorchState.Read(tgt.Grad!), Tolerance, "tgt gradient");
        TorchState.AssertGradients(oracle.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter)), nabla, Tolerance);
    }

    [Fact]
    public void Sdpa_FullyMaskedRow_IsZeroLikeTorchsSdpa()
    {
        // libtorch's SDPA gives a query with no visible key zero output, as Nabla does everywhere (its MultiheadAttention
        // and the math path give NaN there).
        var keep = NablaTensor.FromArray<bool>([false, false, false, true, false, true], [1, 2, 3]);
        Parity.Assert([[1, 2, 4], [1, 3, 4], [1, 3, 2]],
            x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], keep),
            x => torch.nn.functional.scaled_dot_product_attention(x[0], x[1], x[2], TorchState.ToTorch(keep)), 1e-4);
    }
}
