using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Pool;

/// <summary>Adaptive 2-D average and max pooling over planes [P, H, W] → [P, outH, outW] (PyTorch's
/// adaptive_avg_pool2d / adaptive_max_pool2d).</summary>
/// <remarks>
/// Output row i covers input rows [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉), and likewise for columns, so bins may overlap by
/// one element when H is not a multiple of outH. Average divides by the bin's size; max keeps the first maximum
/// in row-major order with NaN winning, and its flat index h·W + w, exactly as <see cref="MaxPoolKernel"/>.
/// A 1×1 output (global pooling) sums each plane with one vectorized reduction.
/// </remarks>
internal static unsafe class AdaptivePoolKernel
{
    /// <summary>⌊i·size/bins⌋, the first input index of bin i.</summary>
    public static int Start(int i, int size, int bins) => (int)((long)i * size / bins);

    /// <summary>⌈(i+1)·size/bins⌉, one past the last input index of bin i.</summary>
    public static int End(int i, int size, int bins) => (int)(((long)(i + 1) * size + bins - 1) / bins);

    public static void AvgForward<T>(ReadOnlySpan<T> x, Span<T> y, int planes, int h, int w, int outH, int outW)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (planes == 0 || outH * outW == 0) return;
        fixed (T* px = x)
        fixed (T* py = y)
            RangeParallel.Run(new Job<T>(px, py, null, h, w, outH, outW, Mode.AvgForward), planes, (long)h * w);
    }

    /// <summary>dx (overwritten) = Σ over bins containing each element of dy / bin size.</summary>
    public static void AvgBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int planes, int h, int w, int outH, int outW)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (planes == 0) return;
        fixed (T* pdy = dy)
        fixed (T* pdx = dx)
            RangeParallel.Run(new Job<T>(pdy, pdx, null, h, w, outH, outW, Mode.AvgBackward), planes, 2L * h * w);
    }

    public static void MaxForward<T>(ReadOnlySpan<T> x, Span<T> y, Span<long> indices, int planes, int h, int w, int outH, int outW)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (planes == 0 || outH * outW == 0) return;
        fixed (T* px = x)
        fixed (T* py = y)
        fixed (long* pi = indices)
            RangeParallel.Run(new Job<T>(px, py, pi, h, w, outH, outW, Mode.MaxForward), planes, (long)h * w);
    }

    /// <summary>dx (overwritten): each dy added at its saved flat index in its plane.</summary>
    public static void MaxBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<long> indices, Span<T> dx, int planes, int h, int w, int outH, int outW)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (planes == 0) return;
        fixed (T* pdy = dy)
        fixed (T* pdx = dx)
        fixed (long* pi = indices)
            RangeParallel.Run(new Job<T>(pdy, pdx, pi, h, w, outH, outW, Mode.MaxBackward), planes, 2L * h * w);
    }

    private enum Mode { AvgForward, AvgBackward, MaxForward, MaxBackward }

    private readonly struct Job<T>(T* src, T* dst, long* indices, int h, int w, int outH, int outW, Mode mode) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            long inPlane = (long)h * w, outPlane = (long)outH * outW;
            for (int p = start; p < end; p++)
            {
                switch (mode)
                {
                    case Mode.AvgForward: AvgPlane(src + p * inPlane, dst + p * outPlane); break;
                    case Mode.AvgBackward: AvgBackwardPlane(src + p * outPlane, dst + p * inPlane); break;
                    case Mode.MaxForward: MaxPlane(src + p * inPlane, dst + p * outPlane, indices + p * outPlane); break;
                    default: MaxBackwardPlane(src + p * outPlane, indices + p * outPlane, dst + p * inPlane); break;
                }
            }
        }

        private void AvgPlane(T* x, T* y)
        {
            if (outH == 1 && outW == 1)
            {
                y[0] = TensorPrimitives.Sum(new ReadOnlySpan<T>(x, h * w)) / T.CreateTruncating(h * w);
                return;
            }
            for (int oy = 0; oy < outH; oy++)
            {
                int h0 = Start(oy, h, outH), h1 = End(oy, h, outH);
                for (int ox = 0; ox < outW; ox++)
                {
                    int w0 = Start(ox, w, outW), w1 = End(ox, w, outW);
                    T sum = T.Zero;
                    for (int r = h0; r < h1; r++)
                        for (int c = w0; c < w1; c++) sum += x[r * w + c];
                    y[oy * outW + ox] = sum / T.CreateTruncating((h1 - h0) * (w1 - w0));
                }
            }
        }

        private void AvgBackwardPlane(T* dy, T* dx)
        {
            var plane = new Span<T>(dx, h * w);
            if (outH == 1 && outW == 1)
            {
                plane.Fill(dy[0] / T.CreateTruncating(h * w));
                return;
            }
            plane.Clear();
            for (int oy = 0; oy < outH; oy++)
            {
                int h0 = Start(oy, h, outH), h1 = End(oy, h, outH);
                for (int ox = 0; ox < outW; ox++)
                {
                    int w0 = Start(ox, w, outW), w1 = End(ox, w, outW);
                    T share = dy[oy * outW + ox] / T.CreateTruncating((h1 - h0) * (w1 - w0));
                    for (int r = h0; r < h1; r++)
                        for (int c = w0; c < w1; c++) dx[r * w + c] += share;
                }
            }
        }

        private void MaxPlane(T* x, T* y, long* idx)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                int h0 = Start(oy, h, outH), h1 = End(oy, h, outH);
                for (int ox = 0; ox < outW; ox++)
                {
                    int w0 = Start(ox, w, outW), w1 = End(ox, w, outW);
                    int best = h0 * w + w0;
                    T max = T.NegativeInfinity;
                    for (int r = h0; r < h1; r++)
                        for (int c = w0; c < w1; c++)
                        {
                            T v = x[r * w + c];
                            if (v > max || T.IsNaN(v)) { max = v; best = r * w + c; }
                        }
                    y[oy * outW + ox] = max;
                    idx[oy * outW + ox] = best;
                }
            }
        }

        private void MaxBackwardPlane(T* dy, long* idx, T* dx)
        {
            new Span<T>(dx, h * w).Clear();
            for (int o = 0; o < outH * outW; o++) dx[idx[o]] += dy[o];
        }
    }
}
