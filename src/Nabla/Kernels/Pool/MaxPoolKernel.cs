using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Pool;

/// <summary>2-D max pooling over planes [P, H, W] → [P, outH, outW]; padding counts as −∞.</summary>
/// <remarks>
/// Each window is scanned in row-major order keeping the first maximum, and a NaN always wins (PyTorch's rule
/// <c>v &gt; max || isnan(v)</c>); the index is the flat position h·W + w in the input plane. Backward scans the
/// window again from the saved input and routes dy to that same position, so no index buffer is needed for
/// training. The plain 2×2 stride-2 case runs vectorized (<see cref="MaxPool2x2"/>); planes are split across threads.
/// </remarks>
internal static unsafe class MaxPoolKernel
{
    /// <summary>y = max over each window; indices (empty when not wanted) receive the flat argmax.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<long> indices, int planes, in PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (planes == 0 || g.OutPlane == 0) return;
        if (indices.IsEmpty && g.IsPlain2x2)
        {
            MaxPool2x2.Forward(x, y, planes, g);
            return;
        }
        fixed (T* px = x)
        fixed (T* py = y)
        fixed (long* pi = indices)
            RangeParallel.Run(new ForwardJob<T>(px, py, pi, g), planes, (long)g.OutPlane * g.KernelH * g.KernelW);
    }

    /// <summary>dx (overwritten) = Σ over windows of dy routed to each window's argmax in x.</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, int planes, in PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (planes == 0) return;
        if (g.IsPlain2x2 && 2 * g.OutH == g.Height && 2 * g.OutW == g.Width)
        {
            MaxPool2x2.Backward(x, dy, dx, planes, g);
            return;
        }
        fixed (T* px = x)
        fixed (T* pdy = dy)
        fixed (T* pdx = dx)
            RangeParallel.Run(new BackwardJob<T>(px, pdy, pdx, g), planes, (long)g.OutPlane * g.KernelH * g.KernelW + g.InPlane);
    }

    /// <summary>The window's valid range [start, end) along one axis (stepping by the dilation from start), with the
    /// start moved past the padding onto the first position inside the plane, as PyTorch's kernel does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Start, int End) Range(int o, int stride, int pad, int kernel, int dilation, int size)
    {
        int start = o * stride - pad;
        int end = Math.Min(start + (kernel - 1) * dilation + 1, size);
        while (start < 0) start += dilation;
        return (start, end);
    }

    /// <summary>The first maximum of the window rows [h0, h1) × columns [w0, w1) (dilated) in row-major order, NaN
    /// winning, as a flat index h·W + w; −∞ and the first position when the window holds nothing larger.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax<T>(T* plane, in PoolGeometry g, int h0, int h1, int w0, int w1, out T max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = h0 * g.Width + w0;
        max = T.NegativeInfinity;
        for (int h = h0; h < h1; h += g.DilationH)
        {
            T* row = plane + h * g.Width;
            for (int w = w0; w < w1; w += g.DilationW)
            {
                T v = row[w];
                if (v > max || T.IsNaN(v)) { max = v; best = h * g.Width + w; }
            }
        }
        return best;
    }

    /// <summary>Fills columns[2·ox], columns[2·ox + 1] with the window's column range for every ox.</summary>
    private static void ColumnRanges(in PoolGeometry g, Span<int> columns)
    {
        for (int ox = 0; ox < g.OutW; ox++)
            (columns[2 * ox], columns[2 * ox + 1]) = Range(ox, g.StrideW, g.PadW, g.KernelW, g.DilationW, g.Width);
    }

    private readonly struct ForwardJob<T>(T* x, T* y, long* indices, PoolGeometry g) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            Span<int> columns = g.OutW <= 512 ? stackalloc int[2 * g.OutW] : new int[2 * g.OutW];
            ColumnRanges(g, columns);
            for (int p = start; p < end; p++)
            {
                T* plane = x + (long)p * g.InPlane;
                long o = (long)p * g.OutPlane;
                for (int oy = 0; oy < g.OutH; oy++)
                {
                    var (h0, h1) = Range(oy, g.StrideH, g.PadH, g.KernelH, g.DilationH, g.Height);
                    for (int ox = 0; ox < g.OutW; ox++, o++)
                    {
                        int best = ArgMax(plane, g, h0, h1, columns[2 * ox], columns[2 * ox + 1], out T max);
                        y[o] = max;
                        if (indices != null) indices[o] = best;
                    }
                }
            }
        }
    }

    private readonly struct BackwardJob<T>(T* x, T* dy, T* dx, PoolGeometry g) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            Span<int> columns = g.OutW <= 512 ? stackalloc int[2 * g.OutW] : new int[2 * g.OutW];
            ColumnRanges(g, columns);
            for (int p = start; p < end; p++)
            {
                T* plane = x + (long)p * g.InPlane;
                T* dplane = dx + (long)p * g.InPlane;
                new Span<T>(dplane, g.InPlane).Clear();
                long o = (long)p * g.OutPlane;
                for (int oy = 0; oy < g.OutH; oy++)
                {
                    var (h0, h1) = Range(oy, g.StrideH, g.PadH, g.KernelH, g.DilationH, g.Height);
                    for (int ox = 0; ox < g.OutW; ox++, o++)
                        dplane[ArgMax(plane, g, h0, h1, columns[2 * ox], columns[2 * ox + 1], out _)] += dy[o];
                }
            }
        }
    }
}
