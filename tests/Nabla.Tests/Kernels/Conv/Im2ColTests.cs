using Nabla.Kernels.Conv;

namespace Nabla.Tests.Kernels.Conv;

/// <summary>The batched im2col/col2im of strided geometries (gathered through a zero-padded plane) against the
/// row-by-row loops of <see cref="Im2Col.Unfold"/> and <see cref="Im2Col.Fold"/> image by image.</summary>
public sealed class Im2ColTests
{
    // ConvGeometry's fields in order: channels, height, width, kH, kW, sH, sW, pad top, left, bottom, right, dH, dW.
    public static TheoryData<int[]> StridedGeometries =>
    [
        [3, 14, 14, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1],   // the DCGAN discriminator's conv2 shape: 14 → 7
        [2, 9, 8, 3, 3, 2, 3, 0, 2, 1, 0, 1, 1],     // uneven strides and paddings
        [2, 11, 10, 3, 2, 3, 2, 2, 1, 2, 1, 2, 3],   // dilated
        [1, 5, 5, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1],     // kernel as large as the image
        [2, 28, 37, 3, 4, 1, 2, 1, 2, 0, 1, 1, 3],   // rows wider than one 16-column chunk, stride 1 down, dilated across
        [1, 7, 7, 2, 2, 3, 3, 0, 0, 0, 0, 1, 1],     // stride above the kernel: pixels no tap reads
        [2, 15, 15, 4, 4, 2, 2, 0, 0, -1, -1, 1, 1], // a transposed convolution with output padding 1: bottom and right padding 0 − 1
    ];

    private static ConvGeometry Geometry(int[] v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);

    [Theory, MemberData(nameof(StridedGeometries))]
    public void UnfoldBatch_MatchesUnfoldImageByImage(int[] geometry)
    {
        var g = Geometry(geometry);
        const int n = 3;
        int plane = g.Channels * g.Height * g.Width, p = g.ColCols, np = n * p;
        var random = new Random(7);
        var x = Enumerable.Range(0, n * plane).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var batched = new float[g.ColRows * np];
        var reference = new float[g.ColRows * np];
        Im2Col.UnfoldBatch<float>(x, plane, 0, g, batched, n);
        for (int i = 0; i < n; i++) Im2Col.Unfold<float>(x.AsSpan(i * plane, plane), g, reference, np, i * p);
        Assert.Equal(reference, batched);
    }

    [Theory, MemberData(nameof(StridedGeometries))]
    public void FoldBatch_Float_MatchesFoldImageByImage(int[] geometry)
    {
        // Float32 at horizontal stride 2 takes the vectorized gather of StrideTwoRows; the reference adds tap by tap.
        var g = Geometry(geometry);
        const int n = 3;
        int plane = g.Channels * g.Height * g.Width, p = g.ColCols, np = n * p;
        var random = new Random(9);
        var cols = Enumerable.Range(0, g.ColRows * np).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var batched = Enumerable.Range(0, n * plane).Select(i => (i % 17) * 0.25f).ToArray();   // fold adds to what is there
        var reference = (float[])batched.Clone();
        Im2Col.FoldBatch<float>(cols, g, batched, plane, 0, n);
        for (int i = 0; i < n; i++) Im2Col.Fold<float>(cols, np, i * p, g, reference.AsSpan(i * plane, plane));
        for (int k = 0; k < reference.Length; k++) Assert.Equal(reference[k], batched[k], 1e-5f);
    }

    [Theory, MemberData(nameof(StridedGeometries))]
    public void FoldBatch_MatchesFoldImageByImage(int[] geometry)
    {
        var g = Geometry(geometry);
        const int n = 3;
        int plane = g.Channels * g.Height * g.Width, p = g.ColCols, np = n * p;
        var random = new Random(8);
        var cols = Enumerable.Range(0, g.ColRows * np).Select(_ => random.NextDouble() - 0.5).ToArray();
        var batched = new double[n * plane];
        var reference = new double[n * plane];
        Im2Col.FoldBatch<double>(cols, g, batched, plane, 0, n);
        for (int i = 0; i < n; i++) Im2Col.Fold<double>(cols, np, i * p, g, reference.AsSpan(i * plane, plane));
        for (int k = 0; k < reference.Length; k++) Assert.Equal(reference[k], batched[k], 12);
    }

    [Fact]
    public void UnfoldBatch_StridedTapsReadZeroPaddingAndTheRightPixels()
    {
        // 3×3 image holding 1 … 9, 2×2 kernel, stride 2, padding 1: output 2×2. Tap (0, 0) reads (−1, −1), (−1, 1),
        // (1, −1), (1, 1); tap (1, 1) reads (0, 0), (0, 2), (2, 0), (2, 2).
        var g = new ConvGeometry(1, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var cols = new float[4 * 4];
        Im2Col.UnfoldBatch<float>(x, 9, 0, g, cols, 1);
        Assert.Equal([0, 0, 0, 5], cols[..4]);
        Assert.Equal([1, 3, 7, 9], cols[12..]);
    }

    [Fact]
    public void FoldBatch_AddsEveryTapBackToItsPixelAndDropsThePadding()
    {
        // 3×3 image, 3×3 kernel, stride 2, padding 1: output 2×2, and along each axis pixel 0 is read by one tap, pixel 1
        // by two (the taps overlap), pixel 2 by one. With every column entry 1, fold gives each pixel the product of those
        // counts; dx starts at 10 to show that fold adds rather than overwrites.
        var g = new ConvGeometry(1, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1);
        var cols = Enumerable.Repeat(1f, 9 * 4).ToArray();
        var dx = Enumerable.Repeat(10f, 9).ToArray();
        Im2Col.FoldBatch<float>(cols, g, dx, 9, 0, 1);
        Assert.Equal([11, 12, 11, 12, 14, 12, 11, 12, 11], dx);
    }
}
