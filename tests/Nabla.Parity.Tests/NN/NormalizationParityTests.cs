using Nabla.NN;
using TorchSharp;
using Generator = Nabla.Tensors.Generator;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.NN;

/// <summary>Batch, layer and group normalization against libtorch's, and BatchNorm2d's running statistics after
/// training steps.</summary>
public sealed class NormalizationParityTests
{
    private const double Tolerance = 1e-4;   // normalization divides by σ, amplifying float32 rounding of x − μ

    [Theory]
    [InlineData(new[] { 16, 5 })]
    [InlineData(new[] { 6, 5, 7 })]
    [InlineData(new[] { 4, 5, 6, 6 })]
    public void BatchNorm_Training_MatchesTorch(int[] shape) =>
        Parity.Assert([shape, [5], [5]],
            x => Functional.BatchNorm(x[0], null, null, x[1], x[2], training: true),
            x => torch.nn.functional.batch_norm(x[0], null, null, x[1], x[2], training: true), Tolerance);

    [Fact]
    public void BatchNorm_Evaluation_MatchesTorch()
    {
        float[] mean = [0.1f, -0.3f, 0.5f, 0f, 1f], variance = [0.5f, 1.5f, 2f, 1f, 0.25f];
        Parity.Assert([[4, 5, 3, 3], [5], [5]],
            x => Functional.BatchNorm(x[0], NablaTensor.FromArray<float>(mean, [5]), NablaTensor.FromArray<float>(variance, [5]), x[1], x[2]),
            x => torch.nn.functional.batch_norm(x[0], TorchOracle.Tensor(mean, [5]), TorchOracle.Tensor(variance, [5]), x[1], x[2]), Tolerance);
    }

    [Fact]
    public void BatchNorm2dModule_TwoTrainingStepsThenEval_MatchTorch()
    {
        using var scope = torch.NewDisposeScope();
        var nabla = new BatchNorm2d(4, momentum: 0.3);
        var oracle = torch.nn.BatchNorm2d(4, momentum: 0.3);
        using (torch.no_grad())
        {
            oracle.weight!.copy_(TorchOracle.Tensor([0.5f, 1.5f, -1f, 2f], [4]));   // weight and bias exist: affine is on
            oracle.bias!.copy_(TorchOracle.Tensor([0.1f, 0f, -0.2f, 0.3f], [4]));
        }
        nabla.Weight!.Detach().Copy_(NablaTensor.FromArray<float>([0.5f, 1.5f, -1f, 2f], [4]));
        nabla.Bias!.Detach().Copy_(NablaTensor.FromArray<float>([0.1f, 0f, -0.2f, 0.3f], [4]));

        for (int step = 0; step < 2; step++)
        {
            var x = NablaTensor.Randn([3, 4, 5, 5], generator: new Generator(10 + step)).Mul(2).Add(1).Detach().RequiresGrad_();
            var xt = TorchOracle.Tensor(x.ToArray<float>(), [3, 4, 5, 5], requiresGrad: true);
            var v = NablaTensor.Randn([3, 4, 5, 5], generator: new Generator(20 + step));
            var yn = nabla.Call(x);
            var yt = oracle.call(xt);
            Parity.Close(Parity.Doubles(yt), Read(yn), Tolerance, $"step {step}: output");
            yn.Mul(v).Sum().Backward();
            (yt * TorchOracle.Tensor(v.ToArray<float>(), [3, 4, 5, 5])).sum().backward();
            Parity.Close(Parity.Doubles(xt.grad!), Read(x.Grad!), Tolerance, $"step {step}: input gradient");   // set by backward
            Parity.Close(Parity.Doubles(oracle.weight!.grad!), Read(nabla.Weight.Grad!), Tolerance, $"step {step}: weight gradient");
            Parity.Close(Parity.Doubles(oracle.bias!.grad!), Read(nabla.Bias.Grad!), Tolerance, $"step {step}: bias gradient");
            Parity.Close(Parity.Doubles(oracle.running_mean!), Read(nabla.RunningMean!), 1e-5, $"step {step}: running_mean");
            Parity.Close(Parity.Doubles(oracle.running_var!), Read(nabla.RunningVar!), 1e-5, $"step {step}: running_var");
            Assert.Equal(oracle.num_batches_tracked!.item<long>(), nabla.NumBatchesTracked!.Item<long>());
            nabla.ZeroGrad();
            oracle.zero_grad();
        }

        nabla.Eval();
        oracle.eval();
        var probe = NablaTensor.Randn([2, 4, 3, 3], generator: new Generator(30));
        Parity.Close(Parity.Doubles(oracle.call(TorchOracle.Tensor(probe.ToArray<float>(), [2, 4, 3, 3]))), Read(nabla.Call(probe)), Tolerance, "eval output");
    }

    [Theory]
    [InlineData(new[] { 6, 10 }, new[] { 10 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 4, 5 })]
    [InlineData(new[] { 4, 700 }, new[] { 700 })]
    public void LayerNorm_MatchesTorch(int[] shape, int[] normalized)
    {
        long[] n = [.. normalized.Select(d => (long)d)];
        Parity.Assert([shape, normalized, normalized],
            x => Functional.LayerNorm(x[0], normalized, x[1], x[2]),
            x => torch.nn.functional.layer_norm(x[0], n, x[1], x[2]), Tolerance);
        Parity.Assert([shape], x => Functional.LayerNorm(x[0], normalized, eps: 1e-3), x => torch.nn.functional.layer_norm(x[0], n, eps: 1e-3), Tolerance);
    }

    [Theory]
    [InlineData(new[] { 3, 6, 5 }, 3)]
    [InlineData(new[] { 2, 8, 4, 4 }, 2)]
    [InlineData(new[] { 4, 6 }, 6)]
    public void GroupNorm_MatchesTorch(int[] shape, int groups) =>
        Parity.Assert([shape, [shape[1]], [shape[1]]],
            x => Functional.GroupNorm(x[0], groups, x[1], x[2]),
            x => torch.nn.functional.group_norm(x[0], groups, x[1], x[2]), Tolerance);

    private static double[] Read(NablaTensor t) => [.. t.Contiguous().ToArray<float>().Select(v => (double)v)];
}
