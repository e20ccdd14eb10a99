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

    /// <summary>The first maximum of window (oy, ox) in row-major order, NaN winning, as a flat index h·W + w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax<T>(T* plane, in PoolGeometry g, int oy, int ox, out T max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h0 = oy * g.StrideH - g.PadH, w0 = ox * g.StrideW - g.PadW;
        int h1 = Math.Min(h0 + (g.KernelH - 1) * g.DilationH + 1, g.Height);
        int w1 = Math.Min(w0 + (g.KernelW - 1) * g.DilationW + 1, g.Width);
        while (h0 < 0) h0 += g.DilationH;
        while (w0 < 0) w0 += g.DilationW;
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

    private readonly struct ForwardJob<T>(T* x, T* y, long* indices, PoolGeometry g) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int p = start; p < end; p++)
            {
                T* plane = x + (long)p * g.InPlane;
                long o = (long)p * g.OutPlane;
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++, o++)
                    {
                        int best = ArgMax(plane, g, oy, ox, out T max);
                        y[o] = max;
                        if (indices != null) indices[o] = best;
                    }
            }
        }
    }

    private readonly struct BackwardJob<T>(T* x, T* dy, T* dx, PoolGeometry g) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int p = start; p < end; p++)
            {
                T* plane = x + (long)p * g.InPlane;
                T* dplane = dx + (long)p * g.InPlane;
                new Span<T>(dplane, g.InPlane).Clear();
                long o = (long)p * g.OutPlane;
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++, o++)
                        dplane[ArgMax(plane, g, oy, ox, out _)] += dy[o];
            }
        }
    }
}
