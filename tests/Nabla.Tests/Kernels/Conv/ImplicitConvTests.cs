using Nabla.Kernels;
using Nabla.Kernels.Conv;

namespace Nabla.Tests.Kernels.Conv;

/// <summary>The float32 implicit-GEMM convolution (<see cref="ImplicitConv"/>, reached through <see cref="ConvKernel"/>)
/// against the explicit im2col path in float64, for the forward and backward of convolution and transposed
/// convolution, with groups, at both SIMD levels, on one thread and split across two.</summary>
public sealed class ImplicitConvTests
{
    // ConvGeometry's fields in order: channels, height, width, kH, kW, sH, sW, pad top, left, bottom, right, dH, dW.
    public static TheoryData<int[], int, int, int> Cases() => Build(wide: false);

    /// <summary>The same geometries with 17 channels in the image the input gradient (or the transposed convolution)
    /// writes: enough to fill the micro-kernel's 16-row tiles (and one more row), so col2im runs phase by phase
    /// (<see cref="PhaseTransposedConv"/>) instead of folding.</summary>
    public static TheoryData<int[], int, int, int> WideCases() => Build(wide: true);

    private static TheoryData<int[], int, int, int> Build(bool wide)
    {
        int[][] geometries =
        [
            [3, 14, 14, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1],   // the DCGAN discriminator's conv2 shape: 14 → 7
            [1, 28, 28, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1],   // its conv1: 28 → 14, padded rows of 30 split into two phases of 15
            [2, 9, 8, 3, 3, 2, 3, 0, 2, 1, 0, 1, 1],     // uneven strides and paddings
            [2, 11, 10, 3, 2, 3, 2, 2, 1, 2, 1, 2, 3],   // dilated
            [1, 5, 5, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1],     // kernel as large as the image
            [2, 28, 37, 3, 4, 1, 2, 1, 2, 0, 1, 1, 3],   // rows wider than a panel, stride 1 down, dilated across
            [1, 7, 7, 2, 2, 3, 3, 0, 0, 0, 0, 1, 1],     // stride above the kernel: pixels no tap reads
            [2, 15, 15, 4, 4, 2, 2, 0, 0, -1, -1, 1, 1], // a transposed convolution's output padding: bottom/right 0 − 1
            [2, 13, 13, 3, 3, 2, 2, 3, 3, 3, 3, 1, 1],   // padding beyond the stride: phases start past the first source pixel
            [3, 9, 10, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1],    // 1×1 kernel: three of the four input-gradient phases have no tap
        ];
        var cases = new TheoryData<int[], int, int, int>();
        foreach (var g in geometries.Select(g => wide ? [17, .. g[1..]] : g))
            foreach (int groups in new[] { 1, 2 })
                foreach (var (simd, threads) in new[] { ((int)SimdLevel.Avx512, 1), ((int)SimdLevel.Avx2, 1), ((int)SimdLevel.Avx512, 2) })
                    cases.Add(g, groups, simd, threads);
        return cases;
    }

    private static ConvGeometry Geometry(int[] v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
    }

    private static double[] Wide(float[] values) => values.Select(v => (double)v).ToArray();

    /// <summary>|actual − expected| ≤ 1e-5·(1 + Σ|terms|), with the sum's scale estimated as √(terms)·max|expected|.</summary>
    private static void AssertClose(double[] expected, float[] actual, int terms, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1 + expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        double tolerance = 2e-6 * Math.Sqrt(terms) * scale + 1e-6;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}[{i}]: {actual[i]} against {expected[i]} (tolerance {tolerance:G3})");
    }

    [Theory, MemberData(nameof(Cases)), MemberData(nameof(WideCases))]
    public void Convolution_MatchesTheExplicitPath(int[] geometry, int groups, int simd, int threads)
    {
        var g = Geometry(geometry);
        if (!KernelOptions.Avx512Enabled && simd == (int)SimdLevel.Avx512) simd = (int)SimdLevel.Avx2;
        if (!KernelOptions.Avx2Enabled) return;   // no SIMD: the implicit path never runs (ImplicitConvTests.Applies covers it)
        const int n = 17;   // enough columns that tiles start at every offset within an image (16k mod P)
        int mg = 5, outChannels = groups * mg, cin = groups * g.Channels, plane = g.Height * g.Width, p = g.ColCols;
        var x = Random(n * cin * plane, 1);
        var w = Random(outChannels * g.ColRows, 2);
        var bias = Random(outChannels, 3);
        var dy = Random(n * outChannels * p, 4);
        var y = new float[n * outChannels * p];
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        using (KernelOptions.OverrideForTesting((SimdLevel)simd, threads, forceParallel: threads > 1))
        {
            Assert.True(ImplicitConv.Applies<float>(g, n));
            Assert.Equal(g.Channels >= 16, PhaseTransposedConv.Pays(g));   // which col2im runs
            ConvKernel.Forward<float>(x, w, bias, y, n, groups, outChannels, g, default);
            ConvKernel.Backward<float>(x, w, dy, dx, dw, default, n, groups, outChannels, g, default);
        }

        var yRef = new double[y.Length];
        var dxRef = new double[dx.Length];
        var dwRef = new double[dw.Length];
        ConvKernel.Forward<double>(Wide(x), Wide(w), Wide(bias), yRef, n, groups, outChannels, g, default);
        ConvKernel.Backward<double>(Wide(x), Wide(w), Wide(dy), dxRef, dwRef, default, n, groups, outChannels, g, default);
        AssertClose(yRef, y, g.ColRows, "y");
        AssertClose(dxRef, dx, mg * g.KernelH * g.KernelW, "dx");
        AssertClose(dwRef, dw, n * p, "dw");
    }

    [Theory, MemberData(nameof(Cases)), MemberData(nameof(WideCases))]
    public void TransposedConvolution_MatchesTheExplicitPath(int[] geometry, int groups, int simd, int threads)
    {
        // g describes the transposed convolution's OUTPUT image; its input has g.OutH × g.OutW pixels.
        var g = Geometry(geometry);
        if (!KernelOptions.Avx512Enabled && simd == (int)SimdLevel.Avx512) simd = (int)SimdLevel.Avx2;
        if (!KernelOptions.Avx2Enabled) return;
        const int n = 17;   // enough columns that tiles start at every offset within an image (16k mod P)
        int cg = 4, inChannels = groups * cg, outChannels = groups * g.Channels, p = g.ColCols, outPlane = g.Height * g.Width;
        var x = Random(n * inChannels * p, 5);
        var w = Random(inChannels * g.ColRows, 6);
        var bias = Random(outChannels, 7);
        var dy = Random(n * outChannels * outPlane, 8);
        var y = new float[n * outChannels * outPlane];
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        using (KernelOptions.OverrideForTesting((SimdLevel)simd, threads, forceParallel: threads > 1))
        {
            Assert.True(ImplicitConv.Applies<float>(g, n));
            Assert.Equal(g.Channels >= 16, PhaseTransposedConv.Pays(g));   // which col2im runs
            ConvKernel.TransposedForward<float>(x, w, bias, y, n, groups, inChannels, g);
            ConvKernel.TransposedBackward<float>(x, w, dy, dx, dw, default, n, groups, inChannels, g);
        }

        var yRef = new double[y.Length];
        var dxRef = new double[dx.Length];
        var dwRef = new double[dw.Length];
        ConvKernel.TransposedForward<double>(Wide(x), Wide(w), Wide(bias), yRef, n, groups, inChannels, g);
        ConvKernel.TransposedBackward<double>(Wide(x), Wide(w), Wide(dy), dxRef, dwRef, default, n, groups, inChannels, g);
        AssertClose(yRef, y, cg * g.KernelH * g.KernelW, "y");
        AssertClose(dxRef, dx, g.ColRows, "dx");
        AssertClose(dwRef, dw, n * p, "dw");
    }

    [Theory, InlineData(3), InlineData(16)]
    public void InputGradientAndTransposedForward_OverwriteWhatTheBuffersHeld(int channels)
    {
        // Both overwrite their output, whatever it held (autograd hands them uninitialized buffers): the folding path
        // (3 channels) clears it first, the phase path (16) writes every pixel, zeros where a phase has no tap
        // (the 1×3 kernel reaches only one of the two row phases).
        var g = new ConvGeometry(channels, 10, 9, 1, 3, 2, 2, 1, 1, 1, 1, 1, 1);
        if (!KernelOptions.Avx2Enabled) return;
        const int n = 3;
        int outChannels = 4, plane = g.Height * g.Width, p = g.ColCols;
        var x = Random(n * g.Channels * plane, 11);
        var w = Random(outChannels * g.ColRows, 12);
        var dy = Random(n * outChannels * p, 13);
        var dx = Enumerable.Repeat(float.NaN, x.Length).ToArray();
        ConvKernel.Backward<float>(x, w, dy, dx, default, default, n, 1, outChannels, g, default);
        var dxRef = new double[dx.Length];
        ConvKernel.Backward<double>(Wide(x), Wide(w), Wide(dy), dxRef, default, default, n, 1, outChannels, g, default);
        AssertClose(dxRef, dx, outChannels * g.KernelH * g.KernelW, "dx");

        // The transposed convolution with this geometry for its output: dy plays its input.
        var y = Enumerable.Repeat(float.NaN, x.Length).ToArray();
        ConvKernel.TransposedForward<float>(dy, w, default, y, n, 1, outChannels, g);
        var yRef = new double[y.Length];
        ConvKernel.TransposedForward<double>(Wide(dy), Wide(w), default, yRef, n, 1, outChannels, g);
        AssertClose(yRef, y, outChannels * g.KernelH * g.KernelW, "y");
    }

    [Fact]
    public void Applies_OnlyToFloat32StridedGeometriesWithSimd()
    {
        var strided = new ConvGeometry(3, 14, 14, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1);
        var unit = new ConvGeometry(3, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1);
        Assert.False(ImplicitConv.Applies<double>(strided, 4));
        Assert.False(ImplicitConv.Applies<float>(unit, 4));
        using (KernelOptions.OverrideForTesting(SimdLevel.Scalar)) Assert.False(ImplicitConv.Applies<float>(strided, 4));
        Assert.Equal(KernelOptions.Avx2Enabled, ImplicitConv.Applies<float>(strided, 4));
    }
}
