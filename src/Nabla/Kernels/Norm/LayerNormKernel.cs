using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Norm;

/// <summary>Layer normalization over contiguous rows of length M: y = (x − μ)·rstd·γ + β with μ and the biased
/// variance taken over each row, γ and β of length M (either may be absent).</summary>
/// <remarks>
/// Rows are independent, so threads split the rows. Backward (docs/derivations/layer-norm.md), with g = dy·γ and
/// x̂ = (x − μ)·rstd per row: dx = rstd·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
/// dγ and dβ sum over rows, so each thread adds its rows into its own partial buffer, reduced at the end.
/// </remarks>
internal static unsafe class LayerNormKernel
{
    /// <summary>Normalizes every row; mean and rstd (one per row) are written for backward.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> mean, Span<T> rstd,
        int rows, int m, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        fixed (T* pw = weight)
        fixed (T* pb = bias)
        fixed (T* py = y)
        fixed (T* pm = mean)
        fixed (T* pr = rstd)
            RangeParallel.Run(new ForwardJob<T>(px, pw, pb, py, pm, pr, m, eps), rows, 3L * m);
    }

    /// <summary>dx, dWeight, dBias are overwritten; any may be empty (not needed). weight empty means γ = 1.</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd, ReadOnlySpan<T> weight,
        Span<T> dx, Span<T> dWeight, Span<T> dBias, int rows, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool affine = !dWeight.IsEmpty || !dBias.IsEmpty;
        if (dx.IsEmpty && !affine) return;
        int parts = RangeParallel.Parts(rows, 5L * m);
        // Each part sums dγ and dβ over its own rows into its slot [dγ | dβ] of this buffer; the slots are added after.
        var partial = affine ? ArrayPool<T>.Shared.Rent(parts * 2 * m) : null;
        try
        {
            partial?.AsSpan(0, parts * 2 * m).Clear();
            fixed (T* px = x)
            fixed (T* pdy = dy)
            fixed (T* pm = mean)
            fixed (T* pr = rstd)
            fixed (T* pw = weight)
            fixed (T* pdx = dx)
            fixed (T* pp = partial)
                RangeParallel.RunParts(new BackwardJob<T>(px, pdy, pm, pr, pw, pdx, pp, !dWeight.IsEmpty, !dBias.IsEmpty, m), rows, 5L * m, parts);
            if (partial is null) return;
            var sums = partial.AsSpan(0, parts * 2 * m);
            for (int p = 1; p < parts; p++) TensorPrimitives.Add(sums[..(2 * m)], sums.Slice(p * 2 * m, 2 * m), sums[..(2 * m)]);
            if (!dWeight.IsEmpty) sums[..m].CopyTo(dWeight);
            if (!dBias.IsEmpty) sums.Slice(m, m).CopyTo(dBias);
        }
        finally
        {
            if (partial is not null) ArrayPool<T>.Shared.Return(partial);
        }
    }

    private readonly struct ForwardJob<T>(T* x, T* weight, T* bias, T* y, T* mean, T* rstd, int m, double eps) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int r = start; r < end; r++)
            {
                var row = new ReadOnlySpan<T>(x + (long)r * m, m);
                var dst = new Span<T>(y + (long)r * m, m);
                T mu = T.CreateTruncating(Moments.Sum(row) / m);
                double variance = Moments.SquaredDeviations(row, mu) / m;
                T rs = T.CreateTruncating(1 / Math.Sqrt(variance + eps));
                mean[r] = mu;
                rstd[r] = rs;
                Moments.ScaleShiftAffine(row, rs, -mu * rs, weight == null ? default : new ReadOnlySpan<T>(weight, m),
                    bias == null ? default : new ReadOnlySpan<T>(bias, m), dst);   // (x·rstd − μ·rstd)·γ + β
            }
        }
    }

    /// <summary>dx row by row, and each row's dy·x̂ and dy added into the part's own dγ, dβ slot while the row is in cache.</summary>
    private readonly struct BackwardJob<T>(T* x, T* dy, T* mean, T* rstd, T* weight, T* dx, T* partial, bool dWeight, bool dBias, int m) : IPartJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end, int part)
        {
            var gamma = weight == null ? default : new ReadOnlySpan<T>(weight, m);
            var dGamma = dWeight ? new Span<T>(partial + (long)part * 2 * m, m) : default;
            var dBeta = dBias ? new Span<T>(partial + (long)part * 2 * m + m, m) : default;
            T count = T.CreateTruncating(m);
            for (int r = start; r < end; r++)
            {
                var row = new ReadOnlySpan<T>(x + (long)r * m, m);
                var upstream = new ReadOnlySpan<T>(dy + (long)r * m, m);
                T mu = mean[r], rs = rstd[r];
                if (dx != null)
                {
                    // g = dy·γ: Σg and Σ g·(x − μ) in one sweep, then dx = g·rstd + (x − μ)·c2 + c3 in a second,
                    // with c2 = −rstd³·Σg(x − μ)/M and c3 = −rstd·Σg/M.
                    var (sumG, dotG) = Moments.GradientSums(upstream, gamma, row, mu);
                    T c2 = -rs * rs * rs * T.CreateTruncating(dotG) / count, c3 = -rs * T.CreateTruncating(sumG) / count;
                    Moments.AffineGradient(upstream, gamma, row, mu, rs, c2, c3, new Span<T>(dx + (long)r * m, m));
                }
                if (dWeight || dBias) Moments.AccumulateAffine(upstream, row, rs, -mu * rs, dGamma, dBeta);   // x̂ = x·rstd − μ·rstd
            }
        }
    }
}
