using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Norm;

/// <summary>Batch normalization over x [N, C, S] (S = product of the spatial sizes, 1 for [N, C]): statistics per
/// channel over its N·S values, y = (x − μ_c)·rstd_c·γ_c + β_c, and the backward pass, each fused into one sweep.</summary>
/// <remarks>
/// Channels are independent, so threads split the channels. For S &gt; 1 a channel is N contiguous planes of S
/// values, reduced plane by plane (<see cref="Moments"/>, double accumulation; planes of float32 shorter than
/// <see cref="ShortPlanes.Limit"/> in one loop per channel, <see cref="ShortPlanes"/>); for S = 1 a channel is a column, and
/// each row of C values is processed vectorized across the channels instead.
/// Backward (docs/derivations/batch-norm.md), with M = N·S, Σdy and D = Σ dy·(x − μ) per channel:
/// dγ = D·rstd, dβ = Σdy, and with batch statistics dx = γ·rstd·(dy − Σdy/M − (x − μ)·rstd²·D/M); with fixed
/// (running) statistics dx = γ·rstd·dy.
/// </remarks>
internal static unsafe class BatchNormKernel
{
    /// <summary>mean[c] and the biased variance var[c] = Σ (x − mean)² / M of each channel.</summary>
    public static void Statistics<T>(ReadOnlySpan<T> x, Span<T> mean, Span<T> variance, int n, int c, int s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        fixed (T* pm = mean)
        fixed (T* pv = variance)
            RangeParallel.Run(new StatisticsJob<T>(px, pm, pv, n, c, s), c, 2L * n * s);
    }

    /// <summary>y = x·a_c + b_c with a_c = rstd_c·γ_c and b_c = β_c − mean_c·a_c (γ = 1 and β = 0 when empty).</summary>
    public static void Normalize<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd, ReadOnlySpan<T> weight,
        ReadOnlySpan<T> bias, Span<T> y, int n, int c, int s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scale = ArrayPool<T>.Shared.Rent(c);
        var shift = ArrayPool<T>.Shared.Rent(c);
        try
        {
            for (int ch = 0; ch < c; ch++)
            {
                scale[ch] = weight.IsEmpty ? rstd[ch] : rstd[ch] * weight[ch];
                shift[ch] = (bias.IsEmpty ? T.Zero : bias[ch]) - mean[ch] * scale[ch];
            }
            fixed (T* px = x)
            fixed (T* py = y)
            fixed (T* pa = scale)
            fixed (T* pb = shift)
                RangeParallel.Run(new NormalizeJob<T>(px, py, pa, pb, n, c, s), c, (long)n * s);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scale);
            ArrayPool<T>.Shared.Return(shift);
        }
    }

    /// <summary>Gradients of y = (x − mean)·rstd·γ + β. dx, dWeight and dBias are overwritten and may be empty (not
    /// needed); weight empty means γ = 1. <paramref name="batchStatistics"/>: mean and rstd came from this x (training),
    /// so dx includes their derivative; otherwise they are constants (running statistics).</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd, ReadOnlySpan<T> weight,
        Span<T> dx, Span<T> dWeight, Span<T> dBias, int n, int c, int s, bool batchStatistics) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        fixed (T* pdy = dy)
        fixed (T* pm = mean)
        fixed (T* pr = rstd)
        fixed (T* pw = weight)
        fixed (T* pdx = dx)
        fixed (T* pdw = dWeight)
        fixed (T* pdb = dBias)
            RangeParallel.Run(new BackwardJob<T>(px, pdy, pm, pr, pw, pdx, pdw, pdb, n, c, s, batchStatistics), c, 3L * n * s);
    }

    private readonly struct StatisticsJob<T>(T* x, T* mean, T* variance, int n, int c, int s) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            double count = (double)n * s;
            if (s == 1)
            {
                Columns(start, end, count);
                return;
            }
            if (ShortPlanes.Applies<T>(s))
            {
                for (int ch = start; ch < end; ch++)
                {
                    float* planes = (float*)x + (long)ch * s;
                    float mu = (float)(ShortPlanes.Sum(planes, n, (nint)c * s, s) / count);
                    mean[ch] = T.CreateTruncating(mu);
                    variance[ch] = T.CreateTruncating(ShortPlanes.SquaredDeviations(planes, n, (nint)c * s, s, mu) / count);
                }
                return;
            }
            for (int ch = start; ch < end; ch++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += Moments.Sum(Plane(i, ch));
                T mu = T.CreateTruncating(sum / count);
                double squares = 0;
                for (int i = 0; i < n; i++) squares += Moments.SquaredDeviations(Plane(i, ch), mu);
                mean[ch] = mu;
                variance[ch] = T.CreateTruncating(squares / count);
            }
        }

        private ReadOnlySpan<T> Plane(int i, int ch) => new(x + ((long)i * c + ch) * s, s);

        /// <summary>[N, C]: rows are accumulated across the channels [start, end), vectorized along the row.</summary>
        private void Columns(int start, int end, double count)
        {
            int width = end - start;
            var m = new Span<T>(mean + start, width);
            var v = new Span<T>(variance + start, width);
            m.Clear();
            v.Clear();
            for (int i = 0; i < n; i++) TensorPrimitives.Add(m, new ReadOnlySpan<T>(x + (long)i * c + start, width), m);
            TensorPrimitives.Divide(m, T.CreateTruncating(count), m);
            var centered = ArrayPool<T>.Shared.Rent(width);
            try
            {
                var d = centered.AsSpan(0, width);
                for (int i = 0; i < n; i++)
                {
                    TensorPrimitives.Subtract(new ReadOnlySpan<T>(x + (long)i * c + start, width), m, d);
                    TensorPrimitives.MultiplyAdd(d, d, v, v);
                }
            }
            finally { ArrayPool<T>.Shared.Return(centered); }
            TensorPrimitives.Divide(v, T.CreateTruncating(count), v);
        }
    }

    private readonly struct NormalizeJob<T>(T* x, T* y, T* scale, T* shift, int n, int c, int s) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            if (s == 1)
            {
                int width = end - start;
                var a = new ReadOnlySpan<T>(scale + start, width);
                var b = new ReadOnlySpan<T>(shift + start, width);
                for (int i = 0; i < n; i++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(x + (long)i * c + start, width), a, b, new Span<T>(y + (long)i * c + start, width));
                return;
            }
            if (ShortPlanes.Applies<T>(s))
            {
                for (int ch = start; ch < end; ch++)
                    ShortPlanes.ScaleShift((float*)x + (long)ch * s, (float*)y + (long)ch * s, n, (nint)c * s, s,
                        float.CreateTruncating(scale[ch]), float.CreateTruncating(shift[ch]));
                return;
            }
            for (int ch = start; ch < end; ch++)
                for (int i = 0; i < n; i++)
                {
                    long offset = ((long)i * c + ch) * s;
                    Moments.ScaleShift(new ReadOnlySpan<T>(x + offset, s), scale[ch], shift[ch], new Span<T>(y + offset, s));
                }
        }
    }

    private readonly struct BackwardJob<T>(T* x, T* dy, T* mean, T* rstd, T* weight, T* dx, T* dWeight, T* dBias,
        int n, int c, int s, bool batchStatistics) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            if (s == 1)
            {
                Columns(start, end);
                return;
            }
            T count = T.CreateTruncating((double)n * s);
            for (int ch = start; ch < end; ch++)
            {
                T mu = mean[ch], r = rstd[ch], gamma = weight == null ? T.One : weight[ch];
                bool shortPlanes = ShortPlanes.Applies<T>(s);
                double sumDy = 0, dot = 0;
                if (shortPlanes)
                    (sumDy, dot) = ShortPlanes.SumAndDot((float*)dy + (long)ch * s, (float*)x + (long)ch * s, n, (nint)c * s, s, float.CreateTruncating(mu));
                else
                    for (int i = 0; i < n; i++)
                    {
                        long offset = ((long)i * c + ch) * s;
                        sumDy += Moments.Sum(new ReadOnlySpan<T>(dy + offset, s));
                        dot += Moments.DotCentered(new ReadOnlySpan<T>(dy + offset, s), new ReadOnlySpan<T>(x + offset, s), mu);
                    }
                if (dWeight != null) dWeight[ch] = T.CreateTruncating(dot) * r;
                if (dBias != null) dBias[ch] = T.CreateTruncating(sumDy);
                if (dx == null) continue;
                var (c1, c2, c3) = Coefficients(T.CreateTruncating(sumDy), T.CreateTruncating(dot), r, gamma, count);
                if (shortPlanes)
                {
                    ShortPlanes.AffineGradient((float*)dy + (long)ch * s, (float*)x + (long)ch * s, (float*)dx + (long)ch * s, n, (nint)c * s, s,
                        float.CreateTruncating(mu), float.CreateTruncating(c1), float.CreateTruncating(c2), float.CreateTruncating(c3));
                    continue;
                }
                for (int i = 0; i < n; i++)
                {
                    long offset = ((long)i * c + ch) * s;
                    Moments.AffineGradient(new ReadOnlySpan<T>(dy + offset, s), new ReadOnlySpan<T>(x + offset, s), mu, c1, c2, c3, new Span<T>(dx + offset, s));
                }
            }
        }

        /// <summary>dx = dy·c1 + (x − μ)·c2 + c3 with c1 = γ·rstd, and with batch statistics c2 = −c1·rstd²·D/M and
        /// c3 = −c1·Σdy/M (both 0 for fixed statistics).</summary>
        private (T C1, T C2, T C3) Coefficients(T sumDy, T dot, T r, T gamma, T count)
        {
            T c1 = gamma * r;
            if (!batchStatistics) return (c1, T.Zero, T.Zero);
            return (c1, -c1 * r * r * dot / count, -c1 * sumDy / count);
        }

        /// <summary>[N, C]: the per-channel sums accumulate row by row, vectorized across the channels [start, end).</summary>
        private void Columns(int start, int end)
        {
            int width = end - start;
            T count = T.CreateTruncating(n);
            var buffer = ArrayPool<T>.Shared.Rent(6 * width);
            try
            {
                var all = buffer.AsSpan(0, 6 * width);
                var sumDy = all[..width];
                var dot = all.Slice(width, width);
                var d = all.Slice(2 * width, width);
                var c1 = all.Slice(3 * width, width);
                var c2 = all.Slice(4 * width, width);
                var c3 = all.Slice(5 * width, width);
                sumDy.Clear();
                dot.Clear();
                var mu = new ReadOnlySpan<T>(mean + start, width);
                for (int i = 0; i < n; i++)
                {
                    var g = new ReadOnlySpan<T>(dy + (long)i * c + start, width);
                    TensorPrimitives.Add(sumDy, g, sumDy);
                    TensorPrimitives.Subtract(new ReadOnlySpan<T>(x + (long)i * c + start, width), mu, d);
                    TensorPrimitives.MultiplyAdd(g, d, dot, dot);
                }
                for (int j = 0; j < width; j++)
                {
                    int ch = start + j;
                    if (dWeight != null) dWeight[ch] = dot[j] * rstd[ch];
                    if (dBias != null) dBias[ch] = sumDy[j];
                    (c1[j], c2[j], c3[j]) = Coefficients(sumDy[j], dot[j], rstd[ch], weight == null ? T.One : weight[ch], count);
                }
                if (dx == null) return;
                for (int i = 0; i < n; i++)
                {
                    var dst = new Span<T>(dx + (long)i * c + start, width);
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(dy + (long)i * c + start, width), c1, c3, dst);
                    if (!batchStatistics) continue;
                    TensorPrimitives.Subtract(new ReadOnlySpan<T>(x + (long)i * c + start, width), mu, d);
                    TensorPrimitives.MultiplyAdd(d, c2, dst, dst);
                }
            }
            finally { ArrayPool<T>.Shared.Return(buffer); }
        }
    }
}
