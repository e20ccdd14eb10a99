using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Norm;

/// <summary>Group normalization over x [N, C, S]: the C channels form G groups of C/G, statistics are taken over each
/// (sample, group) block of C/G·S contiguous values, and γ, β are per channel: y = (x − μ_ng)·rstd_ng·γ_c + β_c.</summary>
/// <remarks>
/// Blocks are independent, so threads split them. Backward (docs/derivations/layer-norm.md: a block is a "row" whose
/// γ is constant per channel), with M = C/G·S, per (n, c): Σ_s dy = b_nc and Σ_s dy·(x − μ) = d_nc; per block
/// B = Σ_c γ_c·b_nc and D = Σ_c γ_c·d_nc; then dx = γ_c·rstd·dy − rstd·B/M − (x − μ)·rstd³·D/M,
/// dγ_c = Σ_n rstd_ng·d_nc, dβ_c = Σ_n b_nc.
/// </remarks>
internal static unsafe class GroupNormKernel
{
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> mean, Span<T> rstd,
        int n, int c, int s, int groups, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        fixed (T* pw = weight)
        fixed (T* pb = bias)
        fixed (T* py = y)
        fixed (T* pm = mean)
        fixed (T* pr = rstd)
            RangeParallel.Run(new ForwardJob<T>(px, pw, pb, py, pm, pr, c, s, groups, eps), n * groups, 3L * c / groups * s);
    }

    /// <summary>dx, dWeight, dBias are overwritten; any may be empty (not needed). weight empty means γ = 1.</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd, ReadOnlySpan<T> weight,
        Span<T> dx, Span<T> dWeight, Span<T> dBias, int n, int c, int s, int groups) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sums = ArrayPool<double>.Shared.Rent(2 * n * c);   // b_nc then d_nc
        try
        {
            fixed (T* px = x)
            fixed (T* pdy = dy)
            fixed (T* pm = mean)
            fixed (T* pr = rstd)
            fixed (T* pw = weight)
            fixed (T* pdx = dx)
            fixed (double* ps = sums)
                RangeParallel.Run(new BackwardJob<T>(px, pdy, pm, pr, pw, pdx, ps, ps + n * c, c, s, groups), n * groups, 4L * c / groups * s);
            int cg = c / groups;
            for (int ch = 0; ch < c; ch++)
            {
                double dw = 0, db = 0;
                for (int i = 0; i < n; i++)
                {
                    db += sums[i * c + ch];
                    dw += sums[n * c + i * c + ch] * double.CreateTruncating(rstd[i * groups + ch / cg]);
                }
                if (!dWeight.IsEmpty) dWeight[ch] = T.CreateTruncating(dw);
                if (!dBias.IsEmpty) dBias[ch] = T.CreateTruncating(db);
            }
        }
        finally { ArrayPool<double>.Shared.Return(sums); }
    }

    private readonly struct ForwardJob<T>(T* x, T* weight, T* bias, T* y, T* mean, T* rstd, int c, int s, int groups, double eps) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            int cg = c / groups, m = cg * s;
            for (int block = start; block < end; block++)
            {
                long offset = (long)block * m;   // block = n·G + g starts at n·C·S + g·cg·S
                var values = new ReadOnlySpan<T>(x + offset, m);
                T mu = T.CreateTruncating(Moments.Sum(values) / m);
                T rs = T.CreateTruncating(1 / Math.Sqrt(Moments.SquaredDeviations(values, mu) / m + eps));
                mean[block] = mu;
                rstd[block] = rs;
                int first = block % groups * cg;
                for (int k = 0; k < cg; k++)
                {
                    int ch = first + k;
                    T a = weight == null ? rs : rs * weight[ch];
                    T b = (bias == null ? T.Zero : bias[ch]) - mu * a;
                    Moments.ScaleShift(new ReadOnlySpan<T>(x + offset + (long)k * s, s), a, b, new Span<T>(y + offset + (long)k * s, s));
                }
            }
        }
    }

    private readonly struct BackwardJob<T>(T* x, T* dy, T* mean, T* rstd, T* weight, T* dx, double* sumDy, double* dotDy, int c, int s, int groups) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            int cg = c / groups, m = cg * s;
            for (int block = start; block < end; block++)
            {
                long offset = (long)block * m;
                int sample = block / groups, first = block % groups * cg;
                T mu = mean[block], rs = rstd[block];
                double sumB = 0, sumD = 0;
                for (int k = 0; k < cg; k++)
                {
                    int ch = first + k;
                    var g = new ReadOnlySpan<T>(dy + offset + (long)k * s, s);
                    double b = Moments.Sum(g), d = Moments.DotCentered(g, new ReadOnlySpan<T>(x + offset + (long)k * s, s), mu);
                    sumDy[sample * c + ch] = b;
                    dotDy[sample * c + ch] = d;
                    double gamma = weight == null ? 1 : double.CreateTruncating(weight[ch]);
                    sumB += gamma * b;
                    sumD += gamma * d;
                }
                if (dx == null) continue;
                double r = double.CreateTruncating(rs);
                T c2 = T.CreateTruncating(-r * r * r * sumD / m), c3 = T.CreateTruncating(-r * sumB / m);
                for (int k = 0; k < cg; k++)
                {
                    int ch = first + k;
                    T c1 = weight == null ? rs : rs * weight[ch];
                    long o = offset + (long)k * s;
                    Moments.AffineGradient(new ReadOnlySpan<T>(dy + o, s), new ReadOnlySpan<T>(x + o, s), mu, c1, c2, c3, new Span<T>(dx + o, s));
                }
            }
        }
    }
}
