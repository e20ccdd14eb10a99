using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Pool;

/// <summary>2-D average pooling over planes [P, H, W] → [P, outH, outW] (PyTorch's avg_pool2d).</summary>
/// <remarks>
/// Window (oy, ox) starts at (oy·sH − pH, ox·sW − pW) and is first clipped to the padded plane, giving
/// pool_size = (h1 − h0)·(w1 − w0), then to the plane itself. y = Σ x over the clipped window / divisor, where the
/// divisor is divisorOverride when given, else pool_size with countIncludePad, else the clipped window's size.
/// In ceil mode a last window can reach past the padding; pool_size then excludes that part, as in PyTorch.
/// Backward spreads dy/divisor over the same clipped window.
/// </remarks>
internal static unsafe class AvgPoolKernel
{
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int planes, in PoolGeometry g, bool countIncludePad, int divisorOverride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (planes == 0 || g.OutPlane == 0) return;
        fixed (T* px = x)
        fixed (T* py = y)
            RangeParallel.Run(new Job<T>(px, py, g, countIncludePad, divisorOverride, backward: false), planes, (long)g.OutPlane * g.KernelH * g.KernelW);
    }

    /// <summary>dx (overwritten) = Σ over windows containing each element of dy/divisor.</summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int planes, in PoolGeometry g, bool countIncludePad, int divisorOverride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (planes == 0) return;
        fixed (T* pdy = dy)
        fixed (T* pdx = dx)
            RangeParallel.Run(new Job<T>(pdy, pdx, g, countIncludePad, divisorOverride, backward: true), planes, (long)g.OutPlane * g.KernelH * g.KernelW + g.InPlane);
    }

    /// <summary>The clipped window of output (oy, ox) and its divisor; empty (h0 ≥ h1 or w0 ≥ w1) gives 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Window(in PoolGeometry g, int oy, int ox, bool countIncludePad, int divisorOverride,
        out int h0, out int h1, out int w0, out int w1)
    {
        h0 = oy * g.StrideH - g.PadH;
        w0 = ox * g.StrideW - g.PadW;
        h1 = Math.Min(h0 + g.KernelH, g.Height + g.PadH);
        w1 = Math.Min(w0 + g.KernelW, g.Width + g.PadW);
        int poolSize = (h1 - h0) * (w1 - w0);
        h0 = Math.Max(h0, 0);
        w0 = Math.Max(w0, 0);
        h1 = Math.Min(h1, g.Height);
        w1 = Math.Min(w1, g.Width);
        if (h0 >= h1 || w0 >= w1) return 0;
        return divisorOverride != 0 ? divisorOverride : countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
    }

    private readonly struct Job<T>(T* src, T* dst, PoolGeometry g, bool countIncludePad, int divisorOverride, bool backward) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int p = start; p < end; p++)
            {
                if (backward) BackwardPlane(src + (long)p * g.OutPlane, dst + (long)p * g.InPlane);
                else ForwardPlane(src + (long)p * g.InPlane, dst + (long)p * g.OutPlane);
            }
        }

        private void ForwardPlane(T* x, T* y)
        {
            for (int oy = 0; oy < g.OutH; oy++)
                for (int ox = 0; ox < g.OutW; ox++)
                {
                    int divisor = Window(g, oy, ox, countIncludePad, divisorOverride, out int h0, out int h1, out int w0, out int w1);
                    T sum = T.Zero;
                    for (int h = h0; h < h1; h++)
                        for (int w = w0; w < w1; w++) sum += x[h * g.Width + w];
                    y[oy * g.OutW + ox] = divisor == 0 ? T.Zero : sum / T.CreateTruncating(divisor);
                }
        }

        private void BackwardPlane(T* dy, T* dx)
        {
            new Span<T>(dx, g.InPlane).Clear();
            for (int oy = 0; oy < g.OutH; oy++)
                for (int ox = 0; ox < g.OutW; ox++)
                {
                    int divisor = Window(g, oy, ox, countIncludePad, divisorOverride, out int h0, out int h1, out int w0, out int w1);
                    if (divisor == 0) continue;
                    T share = dy[oy * g.OutW + ox] / T.CreateTruncating(divisor);
                    for (int h = h0; h < h1; h++)
                        for (int w = w0; w < w1; w++) dx[h * g.Width + w] += share;
                }
        }
    }
}
