using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.NN;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.NN;

public sealed class NormalizationTests
{
    private static Tensor R(int[] shape, int seed, bool grad = true, double scale = 1, double shift = 0)
    {
        var t = Tensor.Randn(shape, DType.Float64, new Generator(seed)).Mul(scale).Add(shift);
        return grad ? t.Detach().RequiresGrad_() : t;
    }

    /// <summary>Direct batch norm of [N, C, S...]: per channel mean and biased variance over N·S values.</summary>
    private static double[] DirectBatchNorm(Tensor x, double[]? gamma, double[]? beta, double eps, double[]? mean = null, double[]? variance = null)
    {
        int n = x.Shape[0], c = x.Shape[1], s = x.NumEl / (n * c);
        var v = Expect.Read(x);
        var y = new double[v.Length];
        for (int ch = 0; ch < c; ch++)
        {
            double mu = 0, var = 0;
            if (mean is null)
            {
                for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) mu += v[(i * c + ch) * s + k];
                mu /= n * s;
                for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) var += Math.Pow(v[(i * c + ch) * s + k] - mu, 2);
                var /= n * s;
            }
            else (mu, var) = (mean[ch], variance![ch]);
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++)
                {
                    int o = (i * c + ch) * s + k;
                    y[o] = (v[o] - mu) / Math.Sqrt(var + eps) * (gamma?[ch] ?? 1) + (beta?[ch] ?? 0);
                }
        }
        return y;
    }

    [Theory]
    [InlineData(new[] { 6, 3 })]
    [InlineData(new[] { 4, 3, 5 })]
    [InlineData(new[] { 2, 3, 4, 5 })]
    public void BatchNorm_Training_MatchesDirectDefinition_AndGradCheck(int[] shape)
    {
        var x = R(shape, 1, scale: 2, shift: 3);
        var w = R([3], 2);
        var b = R([3], 3);
        var y = Functional.BatchNorm(x, null, null, w, b, training: true, eps: 1e-3);
        Expect.Values(y, shape, DirectBatchNorm(x, Expect.Read(w), Expect.Read(b), 1e-3), 1e-10);
        GradCheck.Assert(t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true), x, w, b);
        GradCheck.Assert(t => Functional.BatchNorm(t[0], null, null, training: true), x);
        GradCheck.Assert(t => Functional.BatchNorm(t[0], null, null, null, t[1], training: true), x, b);
    }

    [Theory]
    [InlineData(new[] { 5, 3 })]
    [InlineData(new[] { 2, 3, 4, 4 })]
    public void BatchNorm_Evaluation_UsesRunningStatistics_AndGradCheck(int[] shape)
    {
        var x = R(shape, 4);
        var w = R([3], 5);
        var b = R([3], 6);
        double[] rm = [0.5, -1, 2], rv = [1.5, 0.25, 4];
        var runningMean = Tensor.FromArray<double>(rm, [3]);
        var runningVar = Tensor.FromArray<double>(rv, [3]);
        var y = Functional.BatchNorm(x, runningMean, runningVar, w, b, training: false);
        Expect.Values(y, shape, DirectBatchNorm(x, Expect.Read(w), Expect.Read(b), 1e-5, rm, rv), 1e-10);
        GradCheck.Assert(t => Functional.BatchNorm(t[0], runningMean, runningVar, t[1], t[2], training: false), x, w, b);
        Assert.Equal(rm, Expect.Read(runningMean));   // evaluation leaves them alone
    }

    [Fact]
    public void BatchNorm1d_RunningStatistics_AfterTwoTrainingSteps_MatchHandComputation()
    {
        var bn = new BatchNorm1d(2);
        // Step 1: x = [[1, 2], [3, 6]]: mean [2, 4], biased variance [1, 4], unbiased [2, 8].
        //   running_mean = 0.9·0 + 0.1·[2, 4] = [0.2, 0.4];  running_var = 0.9·1 + 0.1·[2, 8] = [1.1, 1.7].
        var y1 = bn.Call(Tensor.FromArray<float>([1, 2, 3, 6], [2, 2]));
        Expect.Values(y1, [2, 2], [-1 / Math.Sqrt(1 + 1e-5), -2 / Math.Sqrt(4 + 1e-5), 1 / Math.Sqrt(1 + 1e-5), 2 / Math.Sqrt(4 + 1e-5)], 1e-6);
        Expect.Values(bn.RunningMean!, [2], [0.2, 0.4], 1e-7);
        Expect.Values(bn.RunningVar!, [2], [1.1, 1.7], 1e-6);
        // Step 2: x = [[0, 0], [4, -2]]: mean [2, -1], unbiased variance [8, 2].
        //   running_mean = 0.9·[0.2, 0.4] + 0.1·[2, -1] = [0.38, 0.26];  running_var = 0.9·[1.1, 1.7] + 0.1·[8, 2] = [1.79, 1.73].
        bn.Call(Tensor.FromArray<float>([0, 0, 4, -2], [2, 2]));
        Expect.Values(bn.RunningMean!, [2], [0.38, 0.26], 1e-6);
        Expect.Values(bn.RunningVar!, [2], [1.79, 1.73], 1e-6);
        Assert.Equal(2L, bn.NumBatchesTracked!.Item<long>());
        Assert.Equal([], bn.NumBatchesTracked.Shape);
        Assert.Equal(DType.Int64, bn.NumBatchesTracked.DType);

        // Evaluation normalizes with the running statistics and changes nothing.
        bn.Eval();
        var y = bn.Call(Tensor.FromArray<float>([1, 1], [1, 2]));
        Expect.Values(y, [1, 2], [(1 - 0.38) / Math.Sqrt(1.79 + 1e-5), (1 - 0.26) / Math.Sqrt(1.73 + 1e-5)], 1e-6);
        Assert.Equal(2L, bn.NumBatchesTracked.Item<long>());
        Expect.Values(bn.RunningMean!, [2], [0.38, 0.26], 1e-6);
    }

    [Fact]
    public void BatchNorm_MomentumNull_KeepsTheCumulativeAverage()
    {
        var bn = new BatchNorm1d(2, momentum: null);
        bn.Call(Tensor.FromArray<float>([1, 2, 3, 6], [2, 2]));      // factor 1/1: running = batch [2, 4], [2, 8]
        Expect.Values(bn.RunningMean!, [2], [2, 4], 1e-6);
        Expect.Values(bn.RunningVar!, [2], [2, 8], 1e-6);
        bn.Call(Tensor.FromArray<float>([0, 0, 4, -2], [2, 2]));     // factor 1/2: mean of [2, 4] and [2, -1]; of [2, 8] and [8, 2]
        Expect.Values(bn.RunningMean!, [2], [2, 1.5], 1e-6);
        Expect.Values(bn.RunningVar!, [2], [5, 5], 1e-6);
        Assert.Equal("BatchNorm1d(2, eps=1e-05, momentum=None, affine=True, track_running_stats=True)", bn.Describe());
    }

    [Fact]
    public void BatchNorm2d_TrainingNormalizesEachChannel_AndUpdatesStatsOverAllPositions()
    {
        var bn = new BatchNorm2d(3, momentum: 0.5);
        var x = Tensor.Randn([4, 3, 5, 6], DType.Float32, new Generator(7)).Mul(3).Add(2);
        var y = bn.Call(x);
        var mean = y.Mean([0, 2, 3]).ToArray<float>();
        var variance = y.Var([0, 2, 3], correction: 0).ToArray<float>();
        Assert.All(mean, m => Assert.InRange(m, -1e-5, 1e-5));
        Assert.All(variance, v => Assert.InRange(v, 1 - 1e-3, 1 + 1e-5));
        var batchMean = x.Mean([0, 2, 3]).ToArray<float>();
        var unbiased = x.Var([0, 2, 3]).ToArray<float>();
        Expect.Values(bn.RunningMean!, [3], batchMean.Select(m => 0.5 * m).ToArray(), 1e-5);
        Expect.Values(bn.RunningVar!, [3], unbiased.Select(v => 0.5 + 0.5 * v).ToArray(), 1e-4);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.StateDict().Keys);
        Assert.Equal(["weight", "bias"], bn.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void BatchNorm_WithoutTracking_UsesBatchStatisticsInBothModes()
    {
        var bn = new BatchNorm1d(3, affine: false, trackRunningStats: false);
        Assert.Empty(bn.StateDict());
        var x = R([6, 3, 2], 8, grad: false);
        var train = bn.Call(x);
        bn.Eval();
        Assert.True(bn.Call(x).AllClose(train, 0, 0));
        Expect.Values(train, [6, 3, 2], DirectBatchNorm(x, null, null, 1e-5), 1e-10);
    }

    [Fact]
    public void BatchNorm_RejectsBadInputs_WithClearMessages()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new BatchNorm1d(3).Call(Tensor.Zeros([2, 3, 4, 4])));
        Assert.Equal("BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True): expected a 2-D [N, C] or 3-D [N, C, L] input; got [2, 3, 4, 4] (4-D).", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => new BatchNorm2d(3).Call(Tensor.Zeros([2, 4, 5, 5])));
        Assert.Contains("input [2, 4, 5, 5] has 4 channels in dimension 1; expected 3.", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => new BatchNorm2d(3).Call(Tensor.Zeros([3, 5, 5])));
        Assert.Contains("expected a 4-D [N, C, H, W] input; got [3, 5, 5] (3-D).", e.Message);
        var a = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Call(Tensor.Zeros([1, 3])));
        Assert.Equal("BatchNorm: expected more than 1 value per channel when training; got input [1, 3].", a.Message);
        Assert.Throws<ArgumentException>(() => Functional.BatchNorm(Tensor.Zeros([4, 3]), null, null, training: false));
        e = Assert.Throws<ShapeMismatchException>(() => Functional.BatchNorm(Tensor.Zeros([4, 3]), Tensor.Zeros([4]), Tensor.Ones([4])));
        Assert.Equal("BatchNorm: running_mean must have shape [3] for input [4, 3]; got [4].", e.Message);
    }

    /// <summary>Direct layer norm over the last M elements of each row.</summary>
    private static double[] DirectLayerNorm(Tensor x, int m, double[]? gamma, double[]? beta, double eps)
    {
        var v = Expect.Read(x);
        var y = new double[v.Length];
        for (int r = 0; r < v.Length / m; r++)
        {
            double mu = 0, var = 0;
            for (int j = 0; j < m; j++) mu += v[r * m + j];
            mu /= m;
            for (int j = 0; j < m; j++) var += Math.Pow(v[r * m + j] - mu, 2);
            var /= m;
            for (int j = 0; j < m; j++) y[r * m + j] = (v[r * m + j] - mu) / Math.Sqrt(var + eps) * (gamma?[j] ?? 1) + (beta?[j] ?? 0);
        }
        return y;
    }

    [Theory]
    [InlineData(new[] { 4, 7 }, new[] { 7 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 4, 5 })]
    [InlineData(new[] { 3, 300 }, new[] { 300 })]
    public void LayerNorm_MatchesDirectDefinition_AndGradCheck(int[] shape, int[] normalized)
    {
        var x = R(shape, 9, scale: 2, shift: -1);
        var w = R(normalized, 10);
        var b = R(normalized, 11);
        int m = normalized.Aggregate(1, (p, d) => p * d);
        Expect.Values(Functional.LayerNorm(x, normalized, w, b, 1e-3), shape, DirectLayerNorm(x, m, Expect.Read(w), Expect.Read(b), 1e-3), 1e-10);
        Expect.Values(Functional.LayerNorm(x, normalized), shape, DirectLayerNorm(x, m, null, null, 1e-5), 1e-10);
        if (m > 100) return;   // finite differences over every element are slow; the kernel is the same
        GradCheck.Assert(t => Functional.LayerNorm(t[0], normalized, t[1], t[2]), x, w, b);
        GradCheck.Assert(t => Functional.LayerNorm(t[0], normalized), x);
        GradCheck.Assert(t => Functional.LayerNorm(t[0], normalized, t[1]), x, w);
    }

    [Fact]
    public void LayerNormLayer_HasPyTorchParameters_AndBiasFalseDropsBias()
    {
        var ln = new LayerNorm(8);
        Assert.Equal(["weight", "bias"], ln.StateDict().Keys);
        Assert.All(ln.Weight!.ToArray<float>(), v => Assert.Equal(1f, v));
        Assert.All(ln.Bias!.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Equal("LayerNorm((8,), eps=1e-05, elementwise_affine=True)", ln.Describe());
        Assert.Equal(["weight"], new LayerNorm([2, 4], bias: false).StateDict().Keys);
        Assert.Empty(new LayerNorm(8, elementwiseAffine: false).StateDict());
        var x = Tensor.Randn([3, 8], DType.Float32, new Generator(12));
        Assert.True(ln.Call(x).AllClose(Functional.LayerNorm(x, [8]), 0, 0));
        var e = Assert.Throws<ShapeMismatchException>(() => ln.Call(Tensor.Zeros([3, 7])));
        Assert.Equal("LayerNorm: normalized_shape [8] expects an input of shape [*, 8]; got [3, 7].", e.Message);
    }

    /// <summary>Direct group norm of [N, C, S...] with G groups.</summary>
    private static double[] DirectGroupNorm(Tensor x, int groups, double[]? gamma, double[]? beta, double eps)
    {
        int n = x.Shape[0], c = x.Shape[1], s = x.NumEl / (n * c), m = c / groups * s;
        var v = Expect.Read(x);
        var y = new double[v.Length];
        for (int block = 0; block < n * groups; block++)
        {
            double mu = 0, var = 0;
            for (int j = 0; j < m; j++) mu += v[block * m + j];
            mu /= m;
            for (int j = 0; j < m; j++) var += Math.Pow(v[block * m + j] - mu, 2);
            var /= m;
            for (int j = 0; j < m; j++)
            {
                int ch = block % groups * (c / groups) + j / s;
                y[block * m + j] = (v[block * m + j] - mu) / Math.Sqrt(var + eps) * (gamma?[ch] ?? 1) + (beta?[ch] ?? 0);
            }
        }
        return y;
    }

    [Theory]
    [InlineData(new[] { 2, 6, 4 }, 3)]
    [InlineData(new[] { 2, 4, 3, 3 }, 1)]
    [InlineData(new[] { 3, 4 }, 4)]
    public void GroupNorm_MatchesDirectDefinition_AndGradCheck(int[] shape, int groups)
    {
        var x = R(shape, 13, scale: 1.5, shift: 0.5);
        int c = shape[1];
        var w = R([c], 14);
        var b = R([c], 15);
        Expect.Values(Functional.GroupNorm(x, groups, w, b, 1e-3), shape, DirectGroupNorm(x, groups, Expect.Read(w), Expect.Read(b), 1e-3), 1e-10);
        GradCheck.Assert(t => Functional.GroupNorm(t[0], groups, t[1], t[2]), x, w, b);
        GradCheck.Assert(t => Functional.GroupNorm(t[0], groups), x);
    }

    [Fact]
    public void GroupNorm_RejectsIndivisibleChannels()
    {
        Assert.Throws<ArgumentException>(() => new GroupNorm(4, 6));
        var e = Assert.Throws<ArgumentException>(() => Functional.GroupNorm(Tensor.Zeros([2, 6, 3]), 4));
        Assert.Equal("GroupNorm: the 6 channels of input [2, 6, 3] must be divisible by num_groups 4.", e.Message);
        var layer = new GroupNorm(2, 6);
        Assert.Equal("GroupNorm(2, 6, eps=1e-05, affine=True)", layer.Describe());
        Assert.Equal(["weight", "bias"], layer.StateDict().Keys);
        Assert.Throws<ShapeMismatchException>(() => layer.Call(Tensor.Zeros([2, 4, 3])));
    }

    [Fact]
    public void NormKernels_SplitAcrossThreads_GiveTheSameResults()
    {
        // Large enough float32 inputs that the kernels split; compared with a forced single-thread run.
        (Tensor Y, Tensor Dx, Tensor Dw, Tensor Db) Run(Func<Tensor, Tensor, Tensor, Tensor> f, int[] shape, int[] affine, int threads)
        {
            var x = Tensor.Randn(shape, DType.Float32, new Generator(16), requiresGrad: true);
            var w = Tensor.Randn(affine, DType.Float32, new Generator(17), requiresGrad: true);
            var b = Tensor.Randn(affine, DType.Float32, new Generator(18), requiresGrad: true);
            using var _ = KernelOptions.OverrideForTesting(threads: threads, forceParallel: threads > 1);
            var y = f(x, w, b);
            y.Mul(Tensor.Randn(shape, DType.Float32, new Generator(19))).Sum().Backward();
            return (y, x.Grad!, w.Grad!, b.Grad!);
        }
        void Same(Func<Tensor, Tensor, Tensor, Tensor> f, int[] shape, int[] affine)
        {
            var one = Run(f, shape, affine, 1);
            var two = Run(f, shape, affine, 2);
            Assert.True(one.Y.AllClose(two.Y, 0, 0));
            Assert.True(one.Dx.AllClose(two.Dx, 0, 0));
            Assert.True(one.Dw.AllClose(two.Dw, 1e-5, 1e-5));
            Assert.True(one.Db.AllClose(two.Db, 1e-5, 1e-5));
        }
        Same((x, w, b) => Functional.BatchNorm(x, null, null, w, b, training: true), [8, 6, 10, 10], [6]);
        Same((x, w, b) => Functional.BatchNorm(x, null, null, w, b, training: true), [64, 40], [40]);
        Same((x, w, b) => Functional.LayerNorm(x, [300], w, b), [40, 300], [300]);
        Same((x, w, b) => Functional.GroupNorm(x, 2, w, b), [6, 4, 9, 9], [4]);
    }

    [Fact]
    public void NormKernels_ScalarPath_MatchesVectorized()
    {
        // Odd sizes leave vector tails; one thread so the scalar switch covers every part.
        (Tensor Y, Tensor Dx, Tensor Dw) Run(Func<Tensor, Tensor, Tensor> f, int[] shape, int[] affine, int simd)
        {
            var x = Tensor.Randn(shape, DType.Float32, new Generator(20), requiresGrad: true);
            var w = Tensor.Randn(affine, DType.Float32, new Generator(21), requiresGrad: true);
            using var _ = KernelOptions.OverrideForTesting((SimdLevel)simd, threads: 1);
            var y = f(x, w);
            y.Mul(Tensor.Randn(shape, DType.Float32, new Generator(22))).Sum().Backward();
            return (y, x.Grad!, w.Grad!);
        }
        void Same(Func<Tensor, Tensor, Tensor> f, int[] shape, int[] affine)
        {
            var scalar = Run(f, shape, affine, 0);
            var simd = Run(f, shape, affine, 2);
            Expect.Close(new RefArray(Expect.Read(simd.Y), [.. simd.Y.Shape]), new RefArray(Expect.Read(scalar.Y), [.. scalar.Y.Shape]), 1e-5, 1e-5, "output");
            Expect.Close(new RefArray(Expect.Read(simd.Dx), [.. simd.Dx.Shape]), new RefArray(Expect.Read(scalar.Dx), [.. scalar.Dx.Shape]), 1e-4, 1e-5, "input gradient");
            Expect.Close(new RefArray(Expect.Read(simd.Dw), [.. simd.Dw.Shape]), new RefArray(Expect.Read(scalar.Dw), [.. scalar.Dw.Shape]), 1e-4, 1e-4, "weight gradient");
        }
        Same((x, w) => Functional.BatchNorm(x, null, null, w, training: true), [5, 3, 7, 9], [3]);
        Same((x, w) => Functional.LayerNorm(x, [203], w), [6, 203], [203]);
        Same((x, w) => Functional.GroupNorm(x, 3, w), [2, 6, 5, 7], [6]);
    }
}
