using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Conv;

/// <summary>im2col and col2im: the unfolding that turns a convolution into one matrix product.</summary>
/// <remarks>
/// cols[(c·kH + i)·kW + j, oy·outW + ox] = x[c, oy·sH − padTop + i·dH, ox·sW − padLeft + j·dW] (0 outside the image),
/// so out[co, p] = Σ_r W[co, r] · cols[r, p]. col2im is its adjoint: it adds each column entry back to the pixel it
/// came from, which is what the input gradient needs. Each row of cols is written as runs of contiguous output
/// pixels so the stride-1 case becomes span copies.
/// </remarks>
internal static class Im2Col
{
    /// <summary>Rows shorter than this are added with a plain loop in col2im: a span call costs more than it saves on them.</summary>
    private const int ShortRow = 32;

    /// <summary>Unfolds one image x [C, H, W] into cols [C·kH·kW, ldCols] starting at column <paramref name="colOffset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unfold<T>(ReadOnlySpan<T> x, in ConvGeometry g, Span<T> cols, int ldCols, int colOffset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = x.Slice(c * g.Height * g.Width, g.Height * g.Width);
            for (int i = 0; i < g.KernelH; i++)
                for (int j = 0; j < g.KernelW; j++)
                {
                    int row = (c * g.KernelH + i) * g.KernelW + j;
                    var dst = cols.Slice(row * ldCols + colOffset, outH * outW);
                    int dx = j * g.DilationW - g.PadLeft;
                    // Output columns ox whose input column ox·sW + dx lies inside [0, W).
                    int oxStart = dx >= 0 ? 0 : (-dx + g.StrideW - 1) / g.StrideW;
                    int oxEnd = Math.Min(outW, g.Width - dx <= 0 ? 0 : (g.Width - dx - 1) / g.StrideW + 1);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int y = oy * g.StrideH - g.PadTop + i * g.DilationH;
                        var drow = dst.Slice(oy * outW, outW);
                        if ((uint)y >= (uint)g.Height || oxStart >= oxEnd) { drow.Clear(); continue; }
                        var srow = plane.Slice(y * g.Width, g.Width);
                        if (g.StrideW == 1)
                        {
                            drow[..oxStart].Clear();
                            srow.Slice(oxStart + dx, oxEnd - oxStart).CopyTo(drow[oxStart..oxEnd]);
                            drow[oxEnd..].Clear();
                        }
                        else
                        {
                            for (int ox = 0; ox < oxStart; ox++) drow[ox] = T.Zero;
                            for (int ox = oxStart; ox < oxEnd; ox++) drow[ox] = srow[ox * g.StrideW + dx];
                            for (int ox = oxEnd; ox < outW; ox++) drow[ox] = T.Zero;
                        }
                    }
                }
        }
    }

    /// <summary>Adds cols [C·kH·kW, ldCols] (from <paramref name="colOffset"/>) back into one image gradient dx [C, H, W].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fold<T>(ReadOnlySpan<T> cols, int ldCols, int colOffset, in ConvGeometry g, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = dx.Slice(c * g.Height * g.Width, g.Height * g.Width);
            for (int i = 0; i < g.KernelH; i++)
                for (int j = 0; j < g.KernelW; j++)
                {
                    int row = (c * g.KernelH + i) * g.KernelW + j;
                    var src = cols.Slice(row * ldCols + colOffset, outH * outW);
                    int dxo = j * g.DilationW - g.PadLeft;
                    int oxStart = dxo >= 0 ? 0 : (-dxo + g.StrideW - 1) / g.StrideW;
                    int oxEnd = Math.Min(outW, g.Width - dxo <= 0 ? 0 : (g.Width - dxo - 1) / g.StrideW + 1);
                    if (oxStart >= oxEnd) continue;
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int y = oy * g.StrideH - g.PadTop + i * g.DilationH;
                        if ((uint)y >= (uint)g.Height) continue;
                        var srow = src.Slice(oy * outW, outW);
                        var drow = plane.Slice(y * g.Width, g.Width);
                        if (g.StrideW == 1 && oxEnd - oxStart >= ShortRow)
                        {
                            var d = drow.Slice(oxStart + dxo, oxEnd - oxStart);
                            System.Numerics.Tensors.TensorPrimitives.Add(d, srow[oxStart..oxEnd], d);
                        }
                        else for (int ox = oxStart; ox < oxEnd; ox++) drow[ox * g.StrideW + dxo] += srow[ox];
                    }
                }
        }
    }

    /// <summary>Unfolds N images side by side: image i of x (each <paramref name="imageStride"/> apart, group plane at
    /// <paramref name="planeOffset"/>) into columns i·P … of cols [Kg, N·P], split across kernel threads.</summary>
    /// <remarks>Strided geometries go through <see cref="StridedIm2Col"/>, which splits the work by channel.</remarks>
    public static unsafe void UnfoldBatch<T>(ReadOnlySpan<T> x, int imageStride, int planeOffset, in ConvGeometry g, Span<T> cols, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (StridedIm2Col.Applies(g))
        {
            StridedIm2Col.UnfoldBatch(x, imageStride, planeOffset, g, cols, n);
            return;
        }
        fixed (T* px = x, pc = cols)
        {
            var job = new BatchJob<T>(px, x.Length, pc, cols.Length, imageStride, planeOffset, g, n, fold: false);
            RangeParallel.Run(job, n, (long)g.ColRows * g.ColCols);
        }
    }

    /// <summary>Adds columns i·P … of cols [Kg, N·P] back into image i of dx, for every image, split across kernel threads.</summary>
    public static unsafe void FoldBatch<T>(ReadOnlySpan<T> cols, in ConvGeometry g, Span<T> dx, int imageStride, int planeOffset, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (StridedIm2Col.Applies(g))
        {
            StridedIm2Col.FoldBatch(cols, g, dx, imageStride, planeOffset, n);
            return;
        }
        fixed (T* px = dx, pc = cols)
        {
            var job = new BatchJob<T>(px, dx.Length, pc, cols.Length, imageStride, planeOffset, g, n, fold: true);
            RangeParallel.Run(job, n, (long)g.ColRows * g.ColCols);
        }
    }

    /// <summary>im2col or col2im over a range of images; holds only pointers so every thread can read one copy.</summary>
    private readonly unsafe struct BatchJob<T>(T* images, int imagesLength, T* cols, int colsLength, int imageStride, int planeOffset,
        ConvGeometry g, int n, bool fold) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            int plane = g.Channels * g.Height * g.Width, p = g.ColCols;
            var all = new Span<T>(images, imagesLength);
            var c = new Span<T>(cols, colsLength);
            for (int i = start; i < end; i++)
            {
                var image = all.Slice(i * imageStride + planeOffset, plane);
                if (fold) Fold<T>(c, n * p, i * p, g, image);
                else Unfold<T>(image, g, c, n * p, i * p);
            }
        }
    }
}
