using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

public sealed class LossTests
{
    private const double Tight = 1e-12;

    private static Tensor F64(double[] values, params int[] shape) => Tensor.FromArray<double>(values, shape);

    private static Tensor Randn(int seed, params int[] shape) => Tensor.Randn(shape, DType.Float64, new Generator(seed), requiresGrad: true);

    private static void AssertClose(double[] expected, Tensor actual, double tolerance)
    {
        var a = actual.DType == DType.Float64 ? actual.ToArray<double>() : Array.ConvertAll(actual.ToArray<float>(), v => (double)v);
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance, $"element {i}: expected {expected[i]:R}, got {a[i]:R}");
    }

    // ---- Slow references: explicit loops over LogSoftmax values (no gather, no fused op). ----

    /// <summary>Per-row cross-entropy of logits [N, C, ...] against class indices, and the mean's normalizer Σ w_t.</summary>
    private static (double[] Rows, double Normalizer) ReferenceCrossEntropy(Tensor logits, long[] targets, double[]? w, long ignore, double eps)
    {
        int n = logits.Shape[0], c = logits.Shape[1];
        var lp = logits.Detach().Reshape([n, c, -1]).LogSoftmax(1);
        int inner = lp.Shape[2];
        var rows = new double[n * inner];
        double normalizer = 0;
        for (int b = 0; b < n; b++)
            for (int i = 0; i < inner; i++)
            {
                int r = b * inner + i;
                long t = targets[r];
                if (t == ignore) continue;
                double wt = w?[t] ?? 1;
                double smooth = 0;
                for (int k = 0; k < c; k++) smooth += (w?[k] ?? 1) * lp[b, k, i];
                rows[r] = -(1 - eps) * wt * lp[b, (int)t, i] - eps / c * smooth;
                normalizer += wt;
            }
        return (rows, normalizer);
    }

    /// <summary>Per-row cross-entropy of logits [N, C] against probabilities [N, C].</summary>
    private static double[] ReferenceSoftCrossEntropy(Tensor logits, Tensor probs, double[]? w, double eps)
    {
        int n = logits.Shape[0], c = logits.Shape[1];
        var lp = logits.Detach().LogSoftmax(1);
        var rows = new double[n];
        for (int b = 0; b < n; b++)
            for (int k = 0; k < c; k++)
                rows[b] -= (w?[k] ?? 1) * ((1 - eps) * probs[b, k] + eps / c) * lp[b, k];
        return rows;
    }

    private static double[] Reduce(double[] rows, double normalizer, Reduction reduction) => reduction switch
    {
        Reduction.None => rows,
        Reduction.Sum => [rows.Sum()],
        _ => [rows.Sum() / normalizer],
    };

    // ---- Cross-entropy values ----

    [Fact]
    public void CrossEntropy_OfKnownLogits_MatchesHandComputedValues()
    {
        var logits = Tensor.FromArray<float>([1, 2, 3, 1, 1, 1], [2, 3]);
        var target = Tensor.FromArray<long>([2, 0], [2]);
        // Row 0: −log(e³/(e + e² + e³)) = ln(1 + e⁻¹ + e⁻²); row 1: uniform over 3 classes, ln 3.
        double row0 = Math.Log(1 + Math.Exp(-1) + Math.Exp(-2)), row1 = Math.Log(3);

        AssertClose([row0, row1], Functional.CrossEntropy(logits, target, reduction: Reduction.None), 1e-6);
        AssertClose([row0 + row1], Functional.CrossEntropy(logits, target, reduction: Reduction.Sum), 1e-6);
        AssertClose([(row0 + row1) / 2], Functional.CrossEntropy(logits, target), 1e-6);
        Assert.Equal(0, Functional.CrossEntropy(logits, target).Dim);
        Assert.Equal(DType.Float32, Functional.CrossEntropy(logits, target).DType);
    }

    [Fact]
    public void CrossEntropy_WithClassWeights_MeanDividesBySumOfTargetWeights()
    {
        var logits = F64([1, 2, 3, 1, 1, 1], 2, 3);
        var target = Tensor.FromArray<long>([2, 0], [2]);
        var weight = F64([0.5, 1, 2], 3);
        double row0 = Math.Log(1 + Math.Exp(-1) + Math.Exp(-2)), row1 = Math.Log(3);
        // weighted: 2·row0 and 0.5·row1; the mean divides by w₂ + w₀ = 2.5, not by N = 2.
        AssertClose([(2 * row0 + 0.5 * row1) / 2.5], Functional.CrossEntropy(logits, target, weight), Tight);
    }

    [Fact]
    public void CrossEntropy_OfLargeLogits_StaysFinite()
    {
        var logits = F64([1000, 0, -1000, 0], 2, 2);
        var target = Tensor.FromArray<long>([1, 0], [2]);
        AssertClose([1000, 1000], Functional.CrossEntropy(logits, target, reduction: Reduction.None), 1e-9);
    }

    [Theory]
    [InlineData(Reduction.None)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void CrossEntropy_WithWeightsIgnoreIndexAndSmoothing_MatchesReference(Reduction reduction)
    {
        var logits = Randn(3, 6, 5);
        long[] t = [4, -100, 0, 2, -100, 1];
        double[] w = [0.3, 1.2, 0.7, 2.0, 0.9];
        var (rows, norm) = ReferenceCrossEntropy(logits, t, w, -100, 0.15);
        var loss = Functional.CrossEntropy(logits, Tensor.FromArray<long>(t, [6]), F64(w, 5), reduction: reduction, labelSmoothing: 0.15);
        AssertClose(Reduce(rows, norm, reduction), loss, Tight);
    }

    [Theory]
    [InlineData(Reduction.None)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void CrossEntropy_OverSpatialDims_MatchesReference(Reduction reduction)
    {
        // [N, C, H, W] logits with [N, H, W] int32 targets, a custom ignoreIndex that is also a valid class.
        var logits = Randn(4, 2, 4, 3, 2);
        int[] t = [0, 3, 1, 1, 2, 3, 3, 0, 1, 2, 0, 1];
        double[] w = [1.5, 0.5, 1, 2];
        var (rows, norm) = ReferenceCrossEntropy(logits, Array.ConvertAll(t, v => (long)v), w, 1, 0.2);
        var loss = Functional.CrossEntropy(logits, Tensor.FromArray<int>(t, [2, 3, 2]), F64(w, 4), ignoreIndex: 1, reduction, labelSmoothing: 0.2);
        AssertClose(Reduce(rows, norm, reduction), loss, Tight);
        if (reduction == Reduction.None) Assert.Equal([2, 3, 2], loss.Shape);
    }

    [Theory]
    [InlineData(Reduction.None)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void CrossEntropy_WithProbabilityTargets_MatchesReference(Reduction reduction)
    {
        var logits = Randn(5, 4, 3);
        var probs = F64([0.2, 0.5, 0.3, 1, 0, 0, 0.1, 0.1, 0.8, 0.6, 0.4, 0], 4, 3);
        double[] w = [0.5, 2, 1];
        var rows = ReferenceSoftCrossEntropy(logits, probs, w, 0.1);
        var loss = Functional.CrossEntropy(logits, probs, F64(w, 3), reduction: reduction, labelSmoothing: 0.1);
        // With probabilities, the mean divides by the number of samples, not by the weights.
        AssertClose(Reduce(rows, 4, reduction), loss, Tight);
    }

    [Fact]
    public void CrossEntropy_OfOneHotProbabilities_EqualsClassIndexTargets()
    {
        var logits = Randn(6, 3, 4);
        var indices = Tensor.FromArray<long>([3, 0, 2], [3]);
        var oneHot = F64([0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0], 3, 4);
        Assert.Equal(Functional.CrossEntropy(logits, indices).Item(), Functional.CrossEntropy(logits, oneHot).Item(), 12);
    }

    [Fact]
    public void CrossEntropy_OfUnbatchedInput_TakesAScalarTarget()
    {
        var logits = F64([1, 2, 3], 3);
        var loss = Functional.CrossEntropy(logits, Tensor.Scalar(2, DType.Int64), reduction: Reduction.None);
        Assert.Equal(0, loss.Dim);
        Assert.Equal(Math.Log(1 + Math.Exp(-1) + Math.Exp(-2)), loss.Item(), 12);
    }

    [Fact]
    public void CrossEntropy_WhenEveryTargetIsIgnored_MeanIsNaNAndSumIsZero()
    {
        var logits = Randn(7, 2, 3);
        var target = Tensor.FromArray<long>([-100, -100], [2]);
        Assert.True(double.IsNaN(Functional.CrossEntropy(logits, target).Item()));
        Assert.Equal(0, Functional.CrossEntropy(logits, target, reduction: Reduction.Sum).Item());
    }

    [Fact]
    public void CrossEntropy_EqualsNllLossOfLogSoftmax()
    {
        var logits = Randn(8, 5, 4);
        var target = Tensor.FromArray<long>([1, 3, -100, 0, 2], [5]);
        var w = F64([1, 2, 3, 4], 4);
        double ce = Functional.CrossEntropy(logits, target, w).Item();
        double nll = Functional.NllLoss(logits.LogSoftmax(1), target, w).Item();
        Assert.Equal(nll, ce, 12);
    }

    // ---- NLL, MSE, L1, smooth L1, Huber, BCE values ----

    [Fact]
    public void NllLoss_PicksMinusWeightedLogProbability()
    {
        var logProbs = F64([-0.1, -2.0, -3.0, -1.5, -0.4, -2.5], 2, 3);
        var target = Tensor.FromArray<long>([0, 2], [2]);
        AssertClose([0.1, 2.5], Functional.NllLoss(logProbs, target, reduction: Reduction.None), Tight);
        AssertClose([(2 * 0.1 + 3 * 2.5) / 5], Functional.NllLoss(logProbs, target, F64([2, 1, 3], 3)), Tight);
        AssertClose([0.1], Functional.NllLoss(logProbs, target, ignoreIndex: 2, reduction: Reduction.Sum), Tight);
    }

    [Fact]
    public void MseAndL1_MatchHandComputedValues()
    {
        var x = F64([1, 2, 3, 4], 2, 2);
        var y = F64([1.5, 2, 1, 5], 2, 2);
        // d = [−0.5, 0, 2, −1]
        AssertClose([0.25, 0, 4, 1], Functional.MseLoss(x, y, Reduction.None), Tight);
        AssertClose([5.25 / 4], Functional.MseLoss(x, y), Tight);
        AssertClose([5.25], Functional.MseLoss(x, y, Reduction.Sum), Tight);
        AssertClose([0.5, 0, 2, 1], Functional.L1Loss(x, y, Reduction.None), Tight);
        AssertClose([3.5 / 4], Functional.L1Loss(x, y), Tight);
    }

    [Fact]
    public void MseLoss_BroadcastsTargetAgainstInput()
    {
        var x = F64([1, 2, 3, 4], 2, 2);
        var y = F64([1, 1], 2);
        AssertClose([0, 1, 4, 9], Functional.MseLoss(x, y, Reduction.None), Tight);
    }

    [Fact]
    public void SmoothL1AndHuber_SwitchFromQuadraticToLinearAtTheThreshold()
    {
        var x = F64([0.5, -3, 1.5, 0], 4);
        var y = Tensor.Zeros([4], DType.Float64);
        // smooth L1 (β = 1): ½d² inside, |d| − ½ outside;  β = 2: ½d²/2 inside.
        AssertClose([0.125, 2.5, 1.0, 0], Functional.SmoothL1Loss(x, y, Reduction.None), Tight);
        AssertClose([0.0625, 2.0, 0.5625, 0], Functional.SmoothL1Loss(x, y, Reduction.None, beta: 2), Tight);
        AssertClose([0.5, 3, 1.5, 0], Functional.SmoothL1Loss(x, y, Reduction.None, beta: 0), Tight);
        // Huber (δ = 2): ½d² inside, δ(|d| − ½δ) outside.
        AssertClose([0.125, 4, 1.125, 0], Functional.HuberLoss(x, y, Reduction.None, delta: 2), Tight);
    }

    [Fact]
    public void BinaryCrossEntropy_MatchesDefinitionAndClampsLogsAtMinus100()
    {
        var x = F64([0.8, 0.3, 0, 1], 4);
        var y = F64([1, 0.25, 1, 1], 4);
        double l0 = -Math.Log(0.8), l1 = -(0.25 * Math.Log(0.3) + 0.75 * Math.Log(0.7));
        AssertClose([l0, l1, 100, 0], Functional.BinaryCrossEntropy(x, y, reduction: Reduction.None), Tight);
        var w = F64([2, 0.5, 1, 1], 4);
        AssertClose([(2 * l0 + 0.5 * l1 + 100) / 4], Functional.BinaryCrossEntropy(x, y, w), Tight);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_EqualsBceOfSigmoidAndStaysFiniteForLargeLogits()
    {
        var x = F64([-2, 0.5, 3, -0.7, 1.2, 0], 2, 3);
        var y = F64([0, 1, 1, 0.3, 0, 1], 2, 3);
        AssertClose(Functional.BinaryCrossEntropy(x.Sigmoid(), y, reduction: Reduction.None).ToArray<double>(),
            Functional.BinaryCrossEntropyWithLogits(x, y, reduction: Reduction.None), 1e-12);
        // σ(±200) saturates in float64, yet the logit form gives the exact 200.
        AssertClose([200, 200], Functional.BinaryCrossEntropyWithLogits(F64([200, -200], 2), F64([0, 1], 2), reduction: Reduction.None), Tight);
    }

    [Theory, MemberData(nameof(Reductions))]
    public void BinaryCrossEntropyWithLogits_Float32_MatchesFloat64_LossAndGradient(Reduction reduction)
    {
        // Unweighted float32 runs a vectorized path; float64 the per-element one. 1,100 logits (two blocks and a rest)
        // from −120 to 120 cover saturation both ways, and the targets include soft labels.
        int n = 1100;
        var xs = Enumerable.Range(0, n).Select(i => i % 11 == 0 ? (i % 2 == 0 ? 120.0 : -120.0) : Math.Sin(i) * 9).ToArray();
        var ys = Enumerable.Range(0, n).Select(i => (i % 5) / 4.0).ToArray();
        var x64 = F64(xs, n).RequiresGrad_();
        var x32 = Tensor.FromArray(xs.Select(v => (float)v).ToArray(), [n]).RequiresGrad_();
        var loss64 = Functional.BinaryCrossEntropyWithLogits(x64, F64(ys, n), reduction: reduction);
        var loss32 = Functional.BinaryCrossEntropyWithLogits(x32, Tensor.FromArray(ys.Select(v => (float)v).ToArray(), [n]), reduction: reduction);
        var expected = loss64.ToArray<double>();
        var actual = loss32.ToArray<float>();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], Math.Max(1e-5, Math.Abs(expected[i]) * 2e-6));
        loss64.Sum().Backward();
        loss32.Sum().Backward();
        var g64 = x64.Grad!.ToArray<double>();
        var g32 = x32.Grad!.ToArray<float>();
        for (int i = 0; i < n; i++) Assert.Equal(g64[i], g32[i], 1e-6);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_PosWeightScalesThePositiveTerm()
    {
        var x = F64([0.5, -1, 2, 0.3], 2, 2);
        var y = F64([1, 0, 0.5, 1], 2, 2);
        double[] pw = [3, 0.5];   // per class (last dim)
        double[] w = [2, 1];
        var expected = new double[4];
        for (int i = 0; i < 4; i++)
        {
            double xi = x[i / 2, i % 2], yi = y[i / 2, i % 2], p = pw[i % 2];
            double sig = 1 / (1 + Math.Exp(-xi));
            expected[i] = -w[i % 2] * (p * yi * Math.Log(sig) + (1 - yi) * Math.Log(1 - sig));
        }
        AssertClose(expected, Functional.BinaryCrossEntropyWithLogits(x, y, F64(w, 2), Reduction.None, posWeight: F64(pw, 2)), 1e-12);
    }

    // ---- Gradients: central differences in float64 ----

    public static TheoryData<Reduction> Reductions => [Reduction.None, Reduction.Mean, Reduction.Sum];

    [Theory, MemberData(nameof(Reductions))]
    public void CrossEntropy_Backward_MatchesFiniteDifferences(Reduction reduction)
    {
        var target = Tensor.FromArray<long>([4, 0, 2, 1], [4]);
        GradCheck.Assert(x => Functional.CrossEntropy(x[0], target, reduction: reduction), Randn(11, 4, 5));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void CrossEntropy_WithWeightsIgnoreIndexAndSmoothing_Backward_MatchesFiniteDifferences(Reduction reduction)
    {
        var target = Tensor.FromArray<long>([4, -100, 0, 2, 3], [5]);
        var w = F64([0.3, 1.2, 0.7, 2.0, 0.9], 5);
        GradCheck.Assert(x => Functional.CrossEntropy(x[0], target, w, reduction: reduction, labelSmoothing: 0.2), Randn(12, 5, 5));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void CrossEntropy_OverSpatialDims_Backward_MatchesFiniteDifferences(Reduction reduction)
    {
        var target = Tensor.FromArray<long>([0, 2, 1, 2, 0, -100], [2, 3]);
        var w = F64([2, 1, 0.5], 3);
        GradCheck.Assert(x => Functional.CrossEntropy(x[0], target, w, reduction: reduction, labelSmoothing: 0.1), Randn(13, 2, 3, 3));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void CrossEntropy_WithProbabilityTargets_Backward_MatchesFiniteDifferencesForLogitsAndTargets(Reduction reduction)
    {
        var w = F64([0.5, 2, 1], 3);
        var probs = Tensor.Rand([4, 3], DType.Float64, new Generator(14), requiresGrad: true);
        GradCheck.Assert(x => Functional.CrossEntropy(x[0], x[1], w, reduction: reduction, labelSmoothing: 0.1), Randn(15, 4, 3), probs);
    }

    [Fact]
    public void CrossEntropy_OfUnbatchedInput_Backward_MatchesFiniteDifferences()
    {
        var target = Tensor.Scalar(1, DType.Int64);
        GradCheck.Assert(x => Functional.CrossEntropy(x[0], target, labelSmoothing: 0.3), Randn(16, 4));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void NllLoss_Backward_MatchesFiniteDifferences(Reduction reduction)
    {
        var target = Tensor.FromArray<long>([1, -100, 0, 2, 2, 1], [2, 3]);
        var w = F64([1, 2, 0.5], 3);
        GradCheck.Assert(x => Functional.NllLoss(x[0], target, w, reduction: reduction), Randn(17, 2, 3, 3));
        GradCheck.Assert(x => Functional.NllLoss(x[0], target, reduction: reduction), Randn(18, 2, 3, 3));
    }

    [Theory, MemberData(nameof(Reductions))]
    public void PointwiseLosses_Backward_MatchFiniteDifferencesForInputAndBroadcastTarget(Reduction reduction)
    {
        var x = Randn(19, 3, 4);
        var y = Randn(20, 4);
        GradCheck.Assert(t => Functional.MseLoss(t[0], t[1], reduction), x, y);
        GradCheck.Assert(t => Functional.L1Loss(t[0], t[1], reduction), x, y);
        GradCheck.Assert(t => Functional.SmoothL1Loss(t[0], t[1], reduction, beta: 0.7), x, y);
        GradCheck.Assert(t => Functional.HuberLoss(t[0], t[1], reduction, delta: 0.8), x, y);
    }

    [Theory, MemberData(nameof(Reductions))]
    public void BinaryCrossEntropy_Backward_MatchesFiniteDifferencesForInputAndTarget(Reduction reduction)
    {
        var g = new Generator(21);
        var x = Tensor.Rand([3, 4], DType.Float64, g).Mul(0.9).Add(0.05).Detach().RequiresGrad_();
        var y = Tensor.Rand([3, 4], DType.Float64, g, requiresGrad: true);
        var w = Tensor.Rand([4], DType.Float64, g).Add(0.5);
        GradCheck.Assert(t => Functional.BinaryCrossEntropy(t[0], t[1], reduction: reduction), x, y);
        GradCheck.Assert(t => Functional.BinaryCrossEntropy(t[0], t[1], w, reduction), x, y);
    }

    [Theory, MemberData(nameof(Reductions))]
    public void BinaryCrossEntropyWithLogits_Backward_MatchesFiniteDifferencesForInputAndTarget(Reduction reduction)
    {
        var g = new Generator(22);
        var x = Tensor.Randn([3, 4], DType.Float64, g).Mul(3).Detach().RequiresGrad_();
        var y = Tensor.Rand([3, 4], DType.Float64, g, requiresGrad: true);
        var w = Tensor.Rand([3, 1], DType.Float64, g).Add(0.5);
        var pw = Tensor.Rand([4], DType.Float64, g).Mul(3);
        GradCheck.Assert(t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], reduction: reduction), x, y);
        GradCheck.Assert(t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], w, reduction, pw), x, y);
    }

    [Fact]
    public void CrossEntropy_GradientWithoutWeightsOrSmoothing_IsSoftmaxMinusOneHotOverN()
    {
        var logits = F64([1, 2, 3, 1, 1, 1], 2, 3).RequiresGrad_();
        Functional.CrossEntropy(logits, Tensor.FromArray<long>([2, 0], [2])).Backward();
        var s = logits.Detach().Softmax(1);
        double[] expected = [s[0, 0] / 2, s[0, 1] / 2, (s[0, 2] - 1) / 2, (s[1, 0] - 1) / 2, s[1, 1] / 2, s[1, 2] / 2];
        AssertClose(expected, logits.Grad!, Tight);   // Backward set it: logits requires grad
    }

    [Fact]
    public void CrossEntropy_Float32Gradient_MatchesFloat64()
    {
        var x64 = Randn(23, 8, 6);
        var x32 = x64.Detach().To(DType.Float32).RequiresGrad_();
        var target = Tensor.FromArray<long>([0, 5, 3, 3, -100, 1, 2, 4], [8]);
        Functional.CrossEntropy(x64, target, labelSmoothing: 0.1).Backward();
        Functional.CrossEntropy(x32, target, labelSmoothing: 0.1).Backward();
        AssertClose(x64.Grad!.ToArray<double>(), x32.Grad!, 1e-6);   // both set by Backward
    }

    [Fact]
    public void LossWeight_ThatRequiresGrad_FailsAtBackwardAsInPyTorch()
    {
        var w = F64([1, 2, 3], 3).RequiresGrad_();
        var loss = Functional.CrossEntropy(Randn(24, 2, 3), Tensor.FromArray<long>([0, 1], [2]), w);
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Equal("CrossEntropy: the derivative with respect to weight is not implemented (as in PyTorch); detach it or set RequiresGrad = false.", e.Message);
    }

    // ---- Error messages ----

    [Fact]
    public void CrossEntropy_ThrowsForTargetOfWrongShape()
    {
        var e = Assert.Throws<ShapeMismatchException>(() =>
            Functional.CrossEntropy(Tensor.Zeros([32, 10]), Tensor.Zeros([32, 1], DType.Int64)));
        Assert.Equal("CrossEntropy: target has shape [32, 1] but input [32, 10] needs a target of shape [32] (class indices) or [32, 10] (probabilities).", e.Message);
    }

    [Fact]
    public void CrossEntropy_ThrowsForClassOutOfRange()
    {
        var target = Tensor.FromArray<long>([3, 12], [2]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.CrossEntropy(Tensor.Zeros([2, 10]), target));
        Assert.Equal("CrossEntropy: target class 12 (at flat position 1) is out of range for 10 classes; expected 0..9 or ignoreIndex -100.", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.NllLoss(Tensor.Zeros([2, 10]), Tensor.FromArray<long>([-1, 0], [2])));
    }

    [Fact]
    public void CrossEntropy_ThrowsForWrongDTypes()
    {
        var e1 = Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Zeros([4, 3]), Tensor.Zeros([4])));
        Assert.Equal("CrossEntropy: class-index target [4] has dtype float32; expected int64 or int32.", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Zeros([4, 3]), Tensor.Zeros([4, 3], DType.Int64)));
        Assert.Equal("CrossEntropy: target [4, 3] has the input's shape, so it holds class probabilities and must be floating point; got int64. Class indices have shape [4].", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Zeros([4, 3], DType.Int64), Tensor.Zeros([4], DType.Int64)));
        Assert.Equal("CrossEntropy: input [4, 3] has dtype int64; expected float32 or float64.", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Zeros([4, 3]), Tensor.Zeros([4], DType.Int64), Tensor.Ones([3], DType.Float64)));
        Assert.Equal("CrossEntropy: weight [3] has dtype float64 but input [4, 3] is float32; they must match (convert with To(DType)).", e4.Message);
    }

    [Fact]
    public void CrossEntropy_ThrowsForWeightOfWrongShapeAndBadSmoothing()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Functional.CrossEntropy(Tensor.Zeros([4, 3]), Tensor.Zeros([4], DType.Int64), Tensor.Ones([5])));
        Assert.Equal("CrossEntropy: weight has shape [5] but input [4, 3] has 3 classes; expected a weight of shape [3].", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.CrossEntropy(Tensor.Zeros([4, 3]), Tensor.Zeros([4], DType.Int64), labelSmoothing: 1.5));
        Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Zeros([4, 3]), Tensor.Zeros([4, 3]), ignoreIndex: 0));
    }

    [Fact]
    public void NllLoss_ThrowsForTargetOfWrongShape()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Functional.NllLoss(Tensor.Zeros([2, 5, 4]), Tensor.Zeros([2, 5], DType.Int64)));
        Assert.Equal("NllLoss: target has shape [2, 5] but input [2, 5, 4] needs a target of shape [2, 4] (class indices).", e.Message);
    }

    [Fact]
    public void PointwiseAndBinaryLosses_ThrowForShapeAndRangeErrors()
    {
        var e1 = Assert.Throws<ShapeMismatchException>(() => Functional.MseLoss(Tensor.Zeros([3, 4]), Tensor.Zeros([3])));
        Assert.Equal("MseLoss: target [3] cannot be broadcast with input [3, 4] (aligned from the right, each pair of sizes must be equal or contain 1).", e1.Message);
        var e2 = Assert.Throws<ShapeMismatchException>(() => Functional.BinaryCrossEntropy(Tensor.Zeros([3]), Tensor.Zeros([3, 1])));
        Assert.Equal("BinaryCrossEntropy: target has shape [3, 1] but input has shape [3]; they must be the same.", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Functional.BinaryCrossEntropy(Tensor.FromArray<float>([0.5f, 1.5f]), Tensor.Zeros([2])));
        Assert.Equal("BinaryCrossEntropy: all elements of input should be between 0 and 1; input[1] (flat) is 1.5. Use BinaryCrossEntropyWithLogits for unbounded scores.", e3.Message);
        var e4 = Assert.Throws<ShapeMismatchException>(() =>
            Functional.BinaryCrossEntropyWithLogits(Tensor.Zeros([2, 3]), Tensor.Zeros([2, 3]), posWeight: Tensor.Ones([2])));
        Assert.Equal("BinaryCrossEntropyWithLogits: posWeight of shape [2] cannot be broadcast to the input's shape [2, 3].", e4.Message);
        var e5 = Assert.Throws<ArgumentException>(() => Functional.L1Loss(Tensor.Zeros([2]), Tensor.Zeros([2], DType.Float64)));
        Assert.Equal("L1Loss: target [2] has dtype float64 but input [2] is float32; they must match (convert with To(DType)).", e5.Message);
    }

    // ---- Loss modules ----

    [Fact]
    public void LossModules_MatchFunctionalAndRegisterWeightsUnderPyTorchNames()
    {
        var logits = Randn(25, 4, 3);
        var target = Tensor.FromArray<long>([0, 2, 1, -100], [4]);
        var w = F64([1, 2, 3], 3);
        var ce = new CrossEntropyLoss(w, labelSmoothing: 0.1);
        Assert.Equal(Functional.CrossEntropy(logits, target, w, labelSmoothing: 0.1).Item(), ce.Call(logits, target).Item());
        Assert.Equal("weight", Assert.Single(ce.StateDict().Keys));

        var bce = new BceWithLogitsLoss(posWeight: F64([2, 1, 1], 3));
        Assert.Equal("pos_weight", Assert.Single(bce.StateDict().Keys));
        var probs = Tensor.Rand([4, 3], DType.Float64, new Generator(26));
        Assert.Equal(Functional.BinaryCrossEntropyWithLogits(logits, probs, posWeight: F64([2, 1, 1], 3)).Item(), bce.Call(logits, probs).Item());

        var mse = new MseLoss(Reduction.Sum);
        Assert.Equal(Functional.MseLoss(logits, probs, Reduction.Sum).Item(), mse.Call(logits, probs).Item());
        Assert.Equal("MseLoss(reduction=Sum)", mse.Describe());
        Assert.Equal(Functional.NllLoss(logits, target).Item(), new NllLoss().Call(logits, target).Item());
        Assert.Equal(Functional.L1Loss(logits, probs).Item(), new L1Loss().Call(logits, probs).Item());
        Assert.Equal(Functional.BinaryCrossEntropy(probs, probs).Item(), new BceLoss().Call(probs, probs).Item());
    }
}
