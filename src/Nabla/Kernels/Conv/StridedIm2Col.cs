using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Conv;

/// <summary>im2col and col2im for strided convolutions (and transposed ones, whose adjoint is strided), through
/// zero-padded copies of the channel planes and split across threads by channel.</summary>
/// <remarks>
/// A strided convolution's column rows are short runs gathered element by element, so the per-row work of
/// <see cref="Im2Col.Unfold"/> (bounds, zero runs) costs more than the copying. In a zero-padded plane
/// (H + padTop + padBottom) × (W + padLeft + padRight) every tap of every output pixel reads in bounds, since
/// (out − 1)·s + (k − 1)·d ≤ in + padBefore + padAfter − 1, and the gather becomes a branch-free strided loop
/// (eight at a time for float32 at stride 2, <see cref="StrideTwoRows"/>).
/// Work is split by channel and walks each column row cols[(c, tap), ·] from the first image to the last: the rows
/// are N·P floats long, so going image by image instead jumps a whole row (12 KB for the DCGAN) between short runs,
/// and the unfold and fold ran 2–3× slower than a plain copy of the same bytes.
/// </remarks>
internal static unsafe class StridedIm2Col
{
    /// <summary>Whether this path handles the geometry: a horizontal stride above 1. Bottom and right padding may be
    /// negative (a transposed convolution's output padding: rows no tap reaches); top and left may not.</summary>
    public static bool Applies(in ConvGeometry g) => g.StrideW > 1 && g.PadTop >= 0 && g.PadLeft >= 0;

    /// <summary>Unfolds N images (each <paramref name="imageStride"/> apart, group plane at <paramref name="planeOffset"/>)
    /// into cols [Kg, N·P], image i in columns i·P ….</summary>
    public static void UnfoldBatch<T>(ReadOnlySpan<T> x, int imageStride, int planeOffset, in ConvGeometry g, Span<T> cols, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, pc = cols)
        {
            var job = new Job<T>(px, pc, imageStride, planeOffset, g, n, fold: false);
            RangeParallel.Run(job, g.Channels, (long)g.KernelH * g.KernelW * n * g.ColCols);
        }
    }

    /// <summary>Adds columns i·P … of cols [Kg, N·P] back into image i of dx, for every image.</summary>
    public static void FoldBatch<T>(ReadOnlySpan<T> cols, in ConvGeometry g, Span<T> dx, int imageStride, int planeOffset, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = dx, pc = cols)
        {
            var job = new Job<T>(px, pc, imageStride, planeOffset, g, n, fold: true);
            RangeParallel.Run(job, g.Channels, (long)g.KernelH * g.KernelW * n * g.ColCols);
        }
    }

    /// <summary>Floats of scratch <see cref="FoldImages"/> needs.</summary>
    internal static int FoldScratchLength(in ConvGeometry g) => PaddedPlaneLength(g) + StrideTwoRows.Slack;

    /// <summary>On the calling thread: adds columns i·P … of cols [Kg, count·P] (row stride ldCols) into image i of
    /// <paramref name="images"/> (group planes, <paramref name="imageStride"/> apart) for i &lt; count.</summary>
    internal static void FoldImages(float* cols, nint ldCols, in ConvGeometry g, float* images, int imageStride, int count, float* scratch)
    {
        new Span<float>(scratch, FoldScratchLength(g)).Clear();
        FoldChannels(cols, ldCols, g, images, imageStride, count, 0, g.Channels, scratch);
    }

    /// <summary>Folds channels [first, end) of <paramref name="count"/> images: the column rows of channel c, image i
    /// (at cols + c·kH·kW·ldCols + i·P) are added into that plane of <paramref name="images"/>.</summary>
    private static void FoldChannels<T>(T* cols, nint ldCols, in ConvGeometry g, T* images, int imageStride, int count, int first, int end, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = g.Height * g.Width, taps = g.KernelH * g.KernelW;
        var plan = VectorRows<T>(g) ? StrideTwoRows.FoldPlan.For(g) : null;
        for (int c = first; c < end; c++)
            for (int img = 0; img < count; img++)
            {
                T* tapRows = cols + c * taps * ldCols + (nint)img * g.ColCols;
                T* dx = images + (nint)img * imageStride + (nint)c * plane;
                if (plan is not null) StrideTwoRows.FoldPlane((float*)tapRows, ldCols, g, plan, (float*)scratch, (float*)dx);
                else FoldPlane(tapRows, ldCols, g, scratch, dx);
            }
    }

    /// <summary>Columns of the padded plane; negative right padding crops nothing here, the taps just never reach there.</summary>
    internal static int PaddedWidth(in ConvGeometry g) => g.Width + g.PadLeft + Math.Max(0, g.PadRight);

    private static int PaddedPlaneLength(in ConvGeometry g) => (g.Height + g.PadTop + Math.Max(0, g.PadBottom)) * PaddedWidth(g);

    /// <summary>Whether the rows go through <see cref="StrideTwoRows"/> (float32, horizontal stride 2).</summary>
    private static bool VectorRows<T>(in ConvGeometry g) => typeof(T) == typeof(float) && g.StrideW == 2 && StrideTwoRows.IsSupported;

    /// <summary>cols[(c·kH + i)·kW + j, img·P + oy·outW + ox] = pad_img[oy·sH + i·dH, ox·sW + j·dW] for channel c of every
    /// image, where <paramref name="pads"/> holds one zero-bordered plane per image (borders already zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnfoldChannel<T>(T* images, int imageStride, int planeOffset, in ConvGeometry g, int n, int c, T* pads, T* cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, wp = PaddedWidth(g), padLength = PaddedPlaneLength(g), plane = g.Height * g.Width;
        int sH = g.StrideH * wp, sW = g.StrideW, rowBytes = g.Width * sizeof(T), taps = g.KernelH * g.KernelW;
        nint ldCols = (nint)n * outH * outW;
        bool vectorRows = VectorRows<T>(g);
        for (int img = 0; img < n; img++)
        {
            T* src = images + (nint)img * imageStride + planeOffset + (nint)c * plane;
            T* interior = pads + (nint)img * padLength + g.PadTop * wp + g.PadLeft;
            for (int y = 0; y < g.Height; y++) Buffer.MemoryCopy(src + y * g.Width, interior + y * wp, rowBytes, rowBytes);
        }
        for (int i = 0; i < g.KernelH; i++)
            for (int j = 0; j < g.KernelW; j++)
            {
                T* d = cols + (c * taps + i * g.KernelW + j) * ldCols;
                for (int img = 0; img < n; img++)
                {
                    T* s = pads + (nint)img * padLength + i * g.DilationH * wp + j * g.DilationW;
                    if (vectorRows)
                    {
                        // A row may overrun into the next one, written after it; the row's very last run must not.
                        for (int oy = 0; oy < outH; oy++, s += sH, d += outW)
                            StrideTwoRows.GatherEvens((float*)s, (float*)d, outW, mayOverrun: img < n - 1 || oy < outH - 1);
                        continue;
                    }
                    for (int oy = 0; oy < outH; oy++, s += sH, d += outW)
                        for (int ox = 0; ox < outW; ox++) d[ox] = s[ox * sW];
                }
            }
    }

    /// <summary>The adjoint for one plane: every tap adds into <paramref name="pad"/> (cleared here) at the pixel it was
    /// gathered from, then the interior is added into dx. Within one tap the pixels are distinct.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FoldPlane<T>(T* tapRows, nint ldCols, in ConvGeometry g, T* pad, T* dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, wp = PaddedWidth(g), sH = g.StrideH * wp, sW = g.StrideW;
        new Span<T>(pad, PaddedPlaneLength(g)).Clear();
        for (int i = 0; i < g.KernelH; i++)
            for (int j = 0; j < g.KernelW; j++)
            {
                T* s = tapRows + (i * g.KernelW + j) * ldCols;
                T* d = pad + i * g.DilationH * wp + j * g.DilationW;
                for (int oy = 0; oy < outH; oy++, d += sH, s += outW)
                    for (int ox = 0; ox < outW; ox++) d[ox * sW] += s[ox];
            }
        T* interior = pad + g.PadTop * wp + g.PadLeft;
        for (int y = 0; y < g.Height; y++)
            for (int x = 0; x < g.Width; x++) dx[y * g.Width + x] += interior[y * wp + x];
    }

    /// <summary>Unfold or fold over a range of channels; holds only pointers so every thread can read one copy.</summary>
    private readonly struct Job<T>(T* images, T* cols, int imageStride, int planeOffset, ConvGeometry g, int n, bool fold) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            int padLength = PaddedPlaneLength(g);
            nint ldCols = (nint)n * g.ColCols;
            // Unfold keeps one padded plane per image (the taps walk all images per column row); fold needs one.
            int scratchLength = (fold ? padLength : n * padLength) + StrideTwoRows.Slack;
            var scratch = ArrayPool<T>.Shared.Rent(scratchLength);
            try
            {
                fixed (T* pads = scratch)
                {
                    new Span<T>(pads, scratchLength).Clear();
                    if (fold)
                    {
                        FoldChannels(cols, ldCols, g, images + planeOffset, imageStride, n, start, end, pads);
                        return;
                    }
                    for (int c = start; c < end; c++) UnfoldChannel(images, imageStride, planeOffset, g, n, c, pads, cols);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(scratch);
            }
        }
    }
}
