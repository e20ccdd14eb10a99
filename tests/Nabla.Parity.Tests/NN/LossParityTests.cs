using Nabla.NN;
using TorchSharp;
using NablaReduction = Nabla.NN.Reduction;
using NablaTensor = Nabla.Tensors.Tensor;
using TorchReduction = TorchSharp.torch.nn.Reduction;

namespace Nabla.Parity.Tests.NN;

/// <summary>The losses against libtorch's: the same float32 inputs, then the forward value and every input gradient.</summary>
public sealed class LossParityTests
{
    private const float Tolerance = 2e-5f;

    public static TheoryData<NablaReduction> Reductions => [NablaReduction.None, NablaReduction.Mean, NablaReduction.Sum];

    private static TorchReduction ToTorch(NablaReduction r) =>
        r switch { NablaReduction.None => TorchReduction.None, NablaReduction.Sum => TorchReduction.Sum, _ => TorchReduction.Mean };

    private static float[] Values(int seed, int count, float scale = 1, float offset = 0)
    {
        var g = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = offset + scale * (float)(2 * g.NextDouble() - 1);
        return v;
    }

    private static float[] Uniform(int seed, int count, float low, float high)
    {
        var g = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = low + (high - low) * (float)g.NextDouble();
        return v;
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float tol = Tolerance * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"{what}[{i}]: torch {expected[i]:R}, nabla {actual[i]:R}");
        }
    }

    /// <summary>Runs both losses on the same float inputs (gradients for those flagged), contracts each output with the
    /// same fixed upstream values, and compares outputs and gradients.</summary>
    private static void AssertParity((float[] Values, int[] Shape, bool Grad)[] inputs,
        Func<NablaTensor[], NablaTensor> nabla, Func<torch.Tensor[], torch.Tensor> oracle)
    {
        using var scope = torch.NewDisposeScope();
        var n = inputs.Select(i => NablaTensor.FromArray<float>(i.Values, i.Shape, requiresGrad: i.Grad)).ToArray();
        var t = inputs.Select(i => TorchOracle.Tensor(i.Values, Array.ConvertAll(i.Shape, d => (long)d), i.Grad)).ToArray();
        var yn = nabla(n);
        var yt = oracle(t);
        var expected = TorchOracle.Values(yt);
        AssertClose(expected, yn.ToArray<float>(), "output");
        Assert.Equal(yt.shape.Select(d => (int)d), yn.Shape);

        var v = Uniform(99, expected.Length, 0.5f, 1.5f);
        yn.Mul(NablaTensor.FromArray<float>(v, yn.Shape.ToArray())).Sum().Backward();
        (yt * TorchOracle.Tensor(v, yt.shape)).sum().backward();
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i].Grad)
                AssertClose(TorchOracle.Values(t[i].grad!), n[i].Grad!.ToArray<float>(), $"grad of input {i}");   // both set by backward
    }

    [Theory, MemberData(nameof(Reductions))]
    public void CrossEntropy_WithWeightsIgnoreIndexAndSmoothing_MatchesTorch(NablaReduction r)
    {
        long[] target = [4, -100, 0, 2, 3, 1];
        float[] weight = [0.3f, 1.2f, 0.7f, 2.0f, 0.9f];
        AssertParity([(Values(1, 30, 3), [6, 5], true)],
            x => Functional.CrossEntropy(x[0], NablaTensor.FromArray<long>(target, [6]), NablaTensor.FromArray<float>(weight, [5]), reduction: r, labelSmoothing: 0.15),
            x => torch.nn.functional.cross_entropy(x[0], torch.tensor(target, [6]), TorchOracle.Tensor(weight, [5]), reduction: ToTorch(r), label_smoothing: 0.15));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void CrossEntropy_OverSpatialDims_MatchesTorch(NablaReduction r)
    {
        long[] target = [0, 3, 1, 1, 2, 3, 3, 0, 1, 2, 0, 1];
        float[] weight = [1.5f, 0.5f, 1, 2];
        AssertParity([(Values(2, 48, 2), [2, 4, 3, 2], true)],
            x => Functional.CrossEntropy(x[0], NablaTensor.FromArray<long>(target, [2, 3, 2]), NablaTensor.FromArray<float>(weight, [4]), ignoreIndex: 1, r, labelSmoothing: 0.2),
            x => torch.nn.functional.cross_entropy(x[0], torch.tensor(target, [2, 3, 2]), TorchOracle.Tensor(weight, [4]), ignore_index: 1, reduction: ToTorch(r), label_smoothing: 0.2));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void CrossEntropy_WithProbabilityTargets_MatchesTorch(NablaReduction r)
    {
        float[] weight = [0.5f, 2, 1];
        AssertParity([(Values(3, 12, 2), [4, 3], true), (Uniform(4, 12, 0, 1), [4, 3], true)],
            x => Functional.CrossEntropy(x[0], x[1], NablaTensor.FromArray<float>(weight, [3]), reduction: r, labelSmoothing: 0.1),
            x => torch.nn.functional.cross_entropy(x[0], x[1], TorchOracle.Tensor(weight, [3]), reduction: ToTorch(r), label_smoothing: 0.1));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void NllLoss_MatchesTorch(NablaReduction r)
    {
        long[] target = [1, -100, 0, 2, 2, 1];
        float[] weight = [1, 2, 0.5f];
        AssertParity([(Values(5, 18, 2), [2, 3, 3], true)],
            x => Functional.NllLoss(x[0], NablaTensor.FromArray<long>(target, [2, 3]), NablaTensor.FromArray<float>(weight, [3]), reduction: r),
            x => torch.nn.functional.nll_loss(x[0], torch.tensor(target, [2, 3]), TorchOracle.Tensor(weight, [3]), reduction: ToTorch(r)));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void PointwiseLosses_MatchTorch(NablaReduction r)
    {
        (float[], int[], bool)[] inputs = [(Values(6, 12, 2), [3, 4], true), (Values(7, 12, 2), [3, 4], true)];
        AssertParity(inputs, x => Functional.MseLoss(x[0], x[1], r), x => torch.nn.functional.mse_loss(x[0], x[1], ToTorch(r)));
        AssertParity(inputs, x => Functional.L1Loss(x[0], x[1], r), x => torch.nn.functional.l1_loss(x[0], x[1], ToTorch(r)));
        AssertParity(inputs, x => Functional.SmoothL1Loss(x[0], x[1], r, beta: 0.7), x => torch.nn.functional.smooth_l1_loss(x[0], x[1], ToTorch(r), beta: 0.7));
        AssertParity(inputs, x => Functional.HuberLoss(x[0], x[1], r, delta: 0.8), x => torch.nn.functional.huber_loss(x[0], x[1], delta: 0.8, reduction: ToTorch(r)));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void BinaryCrossEntropy_MatchesTorch(NablaReduction r)
    {
        float[] weight = [2, 0.5f, 1, 1.5f];
        AssertParity([(Uniform(8, 12, 0.02f, 0.98f), [3, 4], true), (Uniform(9, 12, 0, 1), [3, 4], true)],
            x => Functional.BinaryCrossEntropy(x[0], x[1], NablaTensor.FromArray<float>(weight, [4]), r),
            x => torch.nn.functional.binary_cross_entropy(x[0], x[1], TorchOracle.Tensor(weight, [4]), ToTorch(r)));
    }

    [Fact]
    public void BinaryCrossEntropy_AtSaturatedInputs_MatchesTorchClamping()
    {
        AssertParity([([0, 1, 0, 1, 1e-30f, 0.5f], [6], true), ([1, 0, 0, 1, 1, 0.25f], [6], false)],
            x => Functional.BinaryCrossEntropy(x[0], x[1], reduction: NablaReduction.None),
            x => torch.nn.functional.binary_cross_entropy(x[0], x[1], reduction: TorchReduction.None));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void BinaryCrossEntropyWithLogits_WithWeightAndPosWeight_MatchesTorch(NablaReduction r)
    {
        float[] weight = [2, 0.5f, 1];
        float[] posWeight = [3, 0.5f, 1, 2];
        AssertParity([(Values(10, 12, 6), [3, 4], true), (Uniform(11, 12, 0, 1), [3, 4], true)],
            x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], NablaTensor.FromArray<float>(weight, [3, 1]), r, NablaTensor.FromArray<float>(posWeight, [4])),
            x => torch.nn.functional.binary_cross_entropy_with_logits(x[0], x[1], TorchOracle.Tensor(weight, [3, 1]), ToTorch(r), TorchOracle.Tensor(posWeight, [4])));
    }
}
