using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.NN;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.NN;

public sealed class PoolingTests
{
    private static Tensor R(int[] shape, int seed, DType dtype = DType.Float64, bool grad = true) =>
        Tensor.Randn(shape, dtype, new Generator(seed), requiresGrad: grad && dtype == DType.Float64);

    /// <summary>Direct definition of max pooling over the last two dims of [P, H, W] (P = all leading dims): window
    /// elements scanned row-major, the first maximum kept, NaN winning, padding never chosen; index h·W + w.</summary>
    private static (double[] Values, long[] Indices, int OutH, int OutW) DirectMaxPool(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, bool ceil)
    {
        int h = x.Shape[^2], w = x.Shape[^1], planes = x.NumEl / (h * w);
        int oh = OutSize(h, kh, sh, ph, dh, ceil), ow = OutSize(w, kw, sw, pw, dw, ceil);
        var v = Expect.Read(x.Contiguous());
        var y = new double[planes * oh * ow];
        var idx = new long[y.Length];
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    double best = double.NegativeInfinity;
                    long at = -1;
                    for (int i = 0; i < kh; i++)
                        for (int j = 0; j < kw; j++)
                        {
                            int r = oy * sh - ph + i * dh, c = ox * sw - pw + j * dw;
                            if (r < 0 || r >= h || c < 0 || c >= w) continue;
                            double e = v[(p * h + r) * w + c];
                            if (at < 0 || e > best || double.IsNaN(e)) { best = e; at = r * w + c; }
                        }
                    y[(p * oh + oy) * ow + ox] = best;
                    idx[(p * oh + oy) * ow + ox] = at;
                }
        return (y, idx, oh, ow);
    }

    /// <summary>PyTorch's output size: ⌊(in + 2p − d(k−1) − 1 [+ s − 1 in ceil mode]) / s⌋ + 1, one fewer in ceil mode
    /// when the last window would start past the input and its left padding.</summary>
    private static int OutSize(int n, int k, int s, int p, int d, bool ceil)
    {
        int o = (int)Math.Floor((n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / (double)s) + 1;
        if (ceil && (o - 1) * s >= n + p) o--;
        return o;
    }

    [Theory]
    [InlineData(2, 2, 2, 2, 0, 0, 1, 1, false)]
    [InlineData(3, 3, 2, 2, 1, 1, 1, 1, false)]
    [InlineData(3, 3, 2, 2, 1, 1, 1, 1, true)]
    [InlineData(3, 2, 1, 2, 0, 1, 2, 1, false)]
    [InlineData(2, 3, 3, 2, 1, 0, 1, 2, true)]
    [InlineData(2, 2, 2, 2, 0, 0, 1, 1, true)]
    public void MaxPool2d_MatchesDirectDefinition_ValuesAndIndices(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, bool ceil)
    {
        // Small integers make ties, so the first-maximum rule for the indices is exercised too.
        var x = Tensor.RandInt(-3, 4, [2, 3, 7, 9], DType.Int64, new Generator(5)).To(DType.Float64);
        var (y, idx) = Functional.MaxPool2dWithIndices(x, (kh, kw), (sh, sw), (ph, pw), (dh, dw), ceil);
        var (ev, ei, oh, ow) = DirectMaxPool(x, kh, kw, sh, sw, ph, pw, dh, dw, ceil);
        Expect.Values(y, [2, 3, oh, ow], ev);
        Assert.Equal(DType.Int64, idx.DType);
        Assert.Equal(ei, idx.ToArray<long>());
        Assert.True(Functional.MaxPool2d(x, (kh, kw), (sh, sw), (ph, pw), (dh, dw), ceil).AllClose(y, 0, 0));
    }

    [Fact]
    public void MaxPool2d_HandExample_PicksFirstMaximumAndRoutesGradientThere()
    {
        // Windows [[1, 3], [3, 2]] (max 3 first at index 1) and [[5, 0], [5, 4]] (max 5 first at index 2).
        var x = Tensor.FromArray<double>([1, 3, 5, 0, 3, 2, 5, 4], [1, 1, 2, 4], requiresGrad: true);
        var r = Functional.MaxPool2dWithIndices(x, 2);
        Expect.Values(r.Output, [1, 1, 1, 2], [3, 5]);
        Assert.Equal([1L, 2L], r.Indices.ToArray<long>());
        r.Output.Mul(Tensor.FromArray<double>([10, 20], [1, 1, 1, 2])).Sum().Backward();
        Expect.Values(x.Grad!, [1, 1, 2, 4], [0, 10, 20, 0, 0, 0, 0, 0]);
    }

    [Fact]
    public void MaxPool2d_PropagatesNaN_AndIndexesIt()
    {
        var x = Tensor.FromArray<float>([1, float.NaN, 2, 7], [1, 2, 2]);
        var r = Functional.MaxPool2dWithIndices(x, 2);
        Assert.True(float.IsNaN(r.Output.ToArray<float>()[0]));
        Assert.Equal([1L], r.Indices.ToArray<long>());
        Assert.True(float.IsNaN(Functional.MaxPool2d(x, 2).ToArray<float>()[0]));   // the vectorized 2×2 path too
    }

    [Theory]
    [InlineData(3, 2, 2, 0, 0, 1, 1, false)]   // plain 2×2, exact tiling
    [InlineData(2, 2, 2, 0, 0, 1, 1, true)]    // 2×2 over odd sizes in ceil mode: partial last windows
    [InlineData(3, 3, 2, 1, 1, 1, 1, false)]
    [InlineData(2, 3, 1, 1, 0, 2, 1, true)]
    public void MaxPool2d_Backward_MatchesFiniteDifferences(int seed, int k, int s, int ph, int pw, int dh, int dw, bool ceil)
    {
        var shape = ceil ? new[] { 2, 2, 5, 7 } : [2, 2, 6, 8];
        GradCheck.Assert(t => Functional.MaxPool2d(t[0], k, s, (ph, pw), (dh, dw), ceil), R(shape, seed));
    }

    [Fact]
    public void MaxPool2d_UnbatchedInput_KeepsRankAndMatchesBatched()
    {
        var x = R([3, 6, 6], 9, grad: false);
        var y = Functional.MaxPool2d(x, 3, 2, 1);
        Assert.Equal([3, 3, 3], y.Shape);
        Assert.True(y.AllClose(Functional.MaxPool2d(x.Unsqueeze(0), 3, 2, 1).Squeeze(0), 0, 0));
        GradCheck.Assert(t => Functional.MaxPool2d(t[0], 3, 2, 1), R([2, 5, 5], 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void MaxPool2x2_EverySimdLevelAndThreadSplit_MatchesDirectDefinition(int simdLevel)
    {
        var level = (SimdLevel)simdLevel;   // Scalar, Avx2, Avx512 (the enum is internal)
        // Output widths 37, 14, 7 and 3 take full vectors plus a shifted last vector (16/8/4 lanes) or the scalar loop;
        // NaN, ±0 and −∞ are planted in the first case.
        foreach (var (w, dtype) in new[] { (74, DType.Float32), (28, DType.Float32), (14, DType.Float32), (6, DType.Float32), (28, DType.Float64), (10, DType.Float64) })
        {
            var x = R([3, 4, 10, w], 11 + w, dtype, grad: false);
            if (w == 74)
            {
                var data = x.ToArray<float>();
                data[5] = float.NaN; data[80] = float.NegativeInfinity; data[200] = -0f; data[201] = 0f;
                x = Tensor.FromArray<float>(data, [3, 4, 10, w]);
            }
            x.RequiresGrad = true;
            foreach (int threads in new[] { 1, 2 })
            {
                Tensor y;
                using (KernelOptions.OverrideForTesting(level, threads, forceParallel: threads > 1)) y = Functional.MaxPool2d(x, 2);
                var (ev, ei, _, _) = DirectMaxPool(x, 2, 2, 2, 2, 0, 0, 1, 1, false);
                Expect.Values(y, [3, 4, 5, w / 2], ev);
                x.Grad = null;
                using (KernelOptions.OverrideForTesting(level, threads, forceParallel: threads > 1)) y.Sum().Backward();
                // Each window sends its gradient (1) to exactly one element: the first maximum.
                var grad = Expect.Read(x.Grad!);
                var expected = new double[grad.Length];
                for (int o = 0; o < ei.Length; o++) expected[o / (5 * (w / 2)) * (10 * w) + (int)ei[o]] = 1;
                Assert.Equal(expected, grad);
            }
        }
    }

    [Fact]
    public void MaxPool1d_MatchesTwoDimensionalPoolingOverHeightOne()
    {
        var x = R([2, 3, 11], 12, grad: false);
        var r = Functional.MaxPool1dWithIndices(x, 3, 2, 1, 2, ceilMode: true);
        var r2 = Functional.MaxPool2dWithIndices(x.Unsqueeze(2), (1, 3), (1, 2), (0, 1), (1, 2), ceilMode: true);
        Assert.Equal([2, 3, r2.Output.Shape[3]], r.Output.Shape);
        Assert.True(r.Output.AllClose(r2.Output.Squeeze(2), 0, 0));
        Assert.Equal(r2.Indices.ToArray<long>(), r.Indices.ToArray<long>());
        GradCheck.Assert(t => Functional.MaxPool1d(t[0], 3, 2, 1, 2, ceilMode: true), R([2, 3, 11], 13));
        Assert.Equal([3, 5], new MaxPool1d(2).Call(R([3, 10], 14, grad: false)).Shape);
    }

    /// <summary>avg_pool2d from its definition: window clipped to the padded plane gives pool_size, then to the plane;
    /// divisor = override, or pool_size (count_include_pad), or the clipped size.</summary>
    private static double[] DirectAvgPool(Tensor x, int k, int s, int p, bool ceil, bool includePad, int? divisor, out int oh, out int ow)
    {
        int h = x.Shape[^2], w = x.Shape[^1], planes = x.NumEl / (h * w);
        oh = OutSize(h, k, s, p, 1, ceil);
        ow = OutSize(w, k, s, p, 1, ceil);
        var v = Expect.Read(x.Contiguous());
        var y = new double[planes * oh * ow];
        for (int q = 0; q < planes; q++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    int r0 = oy * s - p, c0 = ox * s - p, r1 = Math.Min(r0 + k, h + p), c1 = Math.Min(c0 + k, w + p);
                    int poolSize = (r1 - r0) * (c1 - c0);
                    r0 = Math.Max(r0, 0); c0 = Math.Max(c0, 0); r1 = Math.Min(r1, h); c1 = Math.Min(c1, w);
                    double sum = 0;
                    for (int r = r0; r < r1; r++)
                        for (int c = c0; c < c1; c++) sum += v[(q * h + r) * w + c];
                    y[(q * oh + oy) * ow + ox] = sum / (divisor ?? (includePad ? poolSize : (r1 - r0) * (c1 - c0)));
                }
        return y;
    }

    [Theory]
    [InlineData(2, 2, 0, false, true, null)]
    [InlineData(3, 2, 1, false, true, null)]
    [InlineData(3, 2, 1, false, false, null)]
    [InlineData(3, 2, 1, true, true, null)]
    [InlineData(3, 2, 1, true, false, null)]
    [InlineData(2, 3, 1, true, true, 3)]
    public void AvgPool2d_MatchesDirectDefinition_AndGradCheck(int k, int s, int p, bool ceil, bool includePad, int? divisor)
    {
        var x = R([2, 2, 6, 7], 15);
        var y = Functional.AvgPool2d(x, k, s, p, ceil, includePad, divisor);
        var expected = DirectAvgPool(x, k, s, p, ceil, includePad, divisor, out int oh, out int ow);
        Expect.Values(y, [2, 2, oh, ow], expected, 1e-12);
        GradCheck.Assert(t => Functional.AvgPool2d(t[0], k, s, p, ceil, includePad, divisor), x);
    }

    [Fact]
    public void AvgPool2d_CeilModeWindowPastThePadding_IsNotCountedInTheDivisor()
    {
        // H = W = 3, k = 2, s = 2, p = 0, ceil: the last window covers one real row/column; pool_size is clipped to
        // the (zero-)padded extent, so the corner output is x[2, 2] / 1, not / 4.
        var x = Tensor.Arange(1, 10, 1, DType.Float64).Reshape(1, 1, 3, 3);
        var y = Functional.AvgPool2d(x, 2, ceilMode: true);
        Expect.Values(y, [1, 1, 2, 2], [(1 + 2 + 4 + 5) / 4.0, (3 + 6) / 2.0, (7 + 8) / 2.0, 9], 1e-12);
    }

    [Fact]
    public void AvgPool1d_AveragesAlongLength()
    {
        var x = Tensor.FromArray<double>([1, 2, 3, 4, 5, 6], [1, 1, 6]);
        Expect.Values(Functional.AvgPool1d(x, 2), [1, 1, 3], [1.5, 3.5, 5.5], 1e-12);
        Expect.Values(Functional.AvgPool1d(x, 3, 2, 1, countIncludePad: false), [1, 1, 3], [1.5, 3, 5], 1e-12);
    }

    /// <summary>Bins [⌊i·n/m⌋, ⌈(i+1)·n/m⌉) per axis; mean, or first maximum with its index.</summary>
    private static (double[] Avg, double[] Max, long[] Arg) DirectAdaptive(Tensor x, int oh, int ow)
    {
        int h = x.Shape[^2], w = x.Shape[^1], planes = x.NumEl / (h * w);
        var v = Expect.Read(x.Contiguous());
        var avg = new double[planes * oh * ow];
        var max = new double[avg.Length];
        var arg = new long[avg.Length];
        for (int q = 0; q < planes; q++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int r0 = i * h / oh, r1 = (int)Math.Ceiling((i + 1) * h / (double)oh);
                    int c0 = j * w / ow, c1 = (int)Math.Ceiling((j + 1) * w / (double)ow);
                    double sum = 0, best = double.NegativeInfinity;
                    long at = r0 * w + c0;
                    for (int r = r0; r < r1; r++)
                        for (int c = c0; c < c1; c++)
                        {
                            double e = v[(q * h + r) * w + c];
                            sum += e;
                            if (e > best) { best = e; at = r * w + c; }
                        }
                    int o = (q * oh + i) * ow + j;
                    (avg[o], max[o], arg[o]) = (sum / ((r1 - r0) * (c1 - c0)), best, at);
                }
        return (avg, max, arg);
    }

    [Theory]
    [InlineData(5, 7, 3, 4)]
    [InlineData(6, 6, 1, 1)]
    [InlineData(2, 3, 4, 5)]
    [InlineData(7, 5, 7, 2)]
    public void AdaptivePooling_UsesPyTorchBins_AndGradCheck(int h, int w, int oh, int ow)
    {
        var x = R([2, 3, h, w], 16);
        var (avg, max, arg) = DirectAdaptive(x, oh, ow);
        Expect.Values(Functional.AdaptiveAvgPool2d(x, (oh, ow)), [2, 3, oh, ow], avg, 1e-12);
        var r = Functional.AdaptiveMaxPool2dWithIndices(x, (oh, ow));
        Expect.Values(r.Output, [2, 3, oh, ow], max);
        Assert.Equal(arg, r.Indices.ToArray<long>());
        GradCheck.Assert(t => Functional.AdaptiveAvgPool2d(t[0], (oh, ow)), x);
        GradCheck.Assert(t => Functional.AdaptiveMaxPool2d(t[0], (oh, ow)), x);
    }

    [Fact]
    public void AdaptiveAvgPool2d_One_IsGlobalAveragePooling()
    {
        var x = R([2, 4, 5, 3], 17, grad: false);
        var y = new AdaptiveAvgPool2d(1).Call(x);
        Assert.Equal([2, 4, 1, 1], y.Shape);
        Assert.True(y.AllClose(x.Mean([2, 3], keepDim: true), 1e-12, 1e-12));
    }

    [Fact]
    public void Pooling_RejectsBadArguments_WithClearMessages()
    {
        var x = Tensor.Zeros([1, 2, 4, 4]);
        var e = Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(x, 3, 1, 2));
        Assert.Equal("MaxPool2d: padding 2 must be at most half of the kernel size 3.", e.Message);
        var s = Assert.Throws<ShapeMismatchException>(() => Functional.MaxPool2d(Tensor.Zeros([1, 1, 2, 2]), 3));
        Assert.Contains("MaxPool2d: input [1, 1, 2, 2] is too small for kernel 3", s.Message);
        s = Assert.Throws<ShapeMismatchException>(() => Functional.AvgPool2d(Tensor.Zeros([4, 4]), 2));
        Assert.Equal("AvgPool2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W]; got [4, 4].", s.Message);
        Assert.Throws<ArgumentException>(() => Functional.AvgPool2d(x, 2, divisorOverride: 0));
        Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(Tensor.Zeros([1, 1, 4, 4], DType.Int64), 2));
        s = Assert.Throws<ShapeMismatchException>(() => Functional.MaxPool1d(x, 2));
        Assert.Contains("MaxPool1d: input must be 3-D [N, C, L] or 2-D [C, L]", s.Message);
    }

    [Fact]
    public void PoolingLayers_ForwardLikeFunctional_AndDescribeLikePyTorch()
    {
        var x = R([2, 3, 8, 8], 18, grad: false);
        var pool = new MaxPool2d(2);
        Assert.True(pool.Call(x).AllClose(Functional.MaxPool2d(x, 2), 0, 0));
        Assert.Equal("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", pool.Describe());
        Assert.Equal(Functional.MaxPool2dWithIndices(x, 2).Indices.ToArray<long>(), pool.ForwardWithIndices(x).Indices.ToArray<long>());
        Assert.True(new AvgPool2d(3, 2, 1).Call(x).AllClose(Functional.AvgPool2d(x, 3, 2, 1), 0, 0));
        Assert.Equal("AvgPool2d(kernel_size=3, stride=2, padding=1)", new AvgPool2d(3, 2, 1).Describe());
        Assert.Equal([2, 3, 2, 3], new AdaptiveMaxPool2d((2, 3)).Call(x).Shape);
        Assert.Empty(pool.StateDict());
    }

    [Fact]
    public void Unflatten_SplitsOneDimension_AndInvertsFlatten()
    {
        var x = R([4, 12], 19, grad: false);
        var layer = new Unflatten(1, [3, -1]);
        var y = layer.Call(x);
        Assert.Equal([4, 3, 4], y.Shape);
        Assert.True(new Flatten().Call(y).AllClose(x, 0, 0));
        Assert.Equal("Unflatten(dim=1, unflattened_size=(3, -1))", layer.Describe());
    }
}
