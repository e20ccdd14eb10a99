using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Norm;

/// <summary>Layer normalization over contiguous rows of length M: y = (x − μ)·rstd·γ + β with μ and the biased
/// variance taken over each row, γ and β of length M (either may be absent).</summary>
/// <remarks>
/// Rows are independent, so threads split the rows for the forward pass and for dx. Backward
/// (docs/derivations/layer-norm.md), with g = dy·γ and x̂ = (x − μ)·rstd per row:
/// dx = rstd·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
/// dγ and dβ sum over rows, so they run as a second sweep split by columns, each thread owning its columns.
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
        fixed (T* px = x)
        fixed (T* pdy = dy)
        fixed (T* pm = mean)
        fixed (T* pr = rstd)
        fixed (T* pw = weight)
        fixed (T* pdx = dx)
        fixed (T* pdw = dWeight)
        fixed (T* pdb = dBias)
        {
            if (pdx != null) RangeParallel.Run(new InputGradientJob<T>(px, pdy, pm, pr, pw, pdx, m), rows, 4L * m);
            if (pdw != null || pdb != null)
            {
                int blocks = (m + Moments.Chunk - 1) / Moments.Chunk;
                RangeParallel.Run(new AffineGradientJob<T>(px, pdy, pm, pr, pdw, pdb, rows, m), blocks, 3L * rows * Moments.Chunk);
            }
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
                Moments.ScaleShift(row, rs, -mu * rs, dst);   // x̂ = x·rstd − μ·rstd
                if (weight != null && bias != null) TensorPrimitives.MultiplyAdd(dst, new ReadOnlySpan<T>(weight, m), new ReadOnlySpan<T>(bias, m), dst);
                else if (weight != null) TensorPrimitives.Multiply(dst, new ReadOnlySpan<T>(weight, m), dst);
                else if (bias != null) TensorPrimitives.Add(dst, new ReadOnlySpan<T>(bias, m), dst);
            }
        }
    }

    private readonly struct InputGradientJob<T>(T* x, T* dy, T* mean, T* rstd, T* weight, T* dx, int m) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            Span<T> g = stackalloc T[Moments.Chunk];
            Span<T> d = stackalloc T[Moments.Chunk];
            T count = T.CreateTruncating(m);
            for (int r = start; r < end; r++)
            {
                long row = (long)r * m;
                T mu = mean[r], rs = rstd[r];
                // Σg and Σ g·(x − μ) over the row, chunk by chunk.
                double sumG = 0, dotG = 0;
                for (int j = 0; j < m; j += Moments.Chunk)
                {
                    int len = Math.Min(Moments.Chunk, m - j);
                    var gc = Gradient(row + j, j, len, g);
                    TensorPrimitives.Subtract(new ReadOnlySpan<T>(x + row + j, len), mu, d[..len]);
                    sumG += double.CreateTruncating(TensorPrimitives.Sum(gc));
                    dotG += double.CreateTruncating(TensorPrimitives.Dot(gc, d[..len]));
                }
                // dx = g·rstd + (x − μ)·c2 + c3 with c2 = −rstd³·Σg(x − μ)/M and c3 = −rstd·Σg/M.
                T c2 = -rs * rs * rs * T.CreateTruncating(dotG) / count, c3 = -rs * T.CreateTruncating(sumG) / count;
                for (int j = 0; j < m; j += Moments.Chunk)
                {
                    int len = Math.Min(Moments.Chunk, m - j);
                    var gc = Gradient(row + j, j, len, g);
                    var dst = new Span<T>(dx + row + j, len);
                    TensorPrimitives.Multiply(gc, rs, dst);
                    TensorPrimitives.Add(dst, c3, dst);
                    TensorPrimitives.Subtract(new ReadOnlySpan<T>(x + row + j, len), mu, d[..len]);
                    TensorPrimitives.MultiplyAdd(d[..len], c2, dst, dst);
                }
            }
        }

        /// <summary>g = dy·γ for one chunk (dy itself without γ).</summary>
        private ReadOnlySpan<T> Gradient(long offset, int column, int len, Span<T> scratch)
        {
            var upstream = new ReadOnlySpan<T>(dy + offset, len);
            if (weight == null) return upstream;
            TensorPrimitives.Multiply(upstream, new ReadOnlySpan<T>(weight + column, len), scratch[..len]);
            return scratch[..len];
        }
    }

    /// <summary>dγ = Σ_rows dy·x̂ and dβ = Σ_rows dy for the column blocks [start, end) of width <see cref="Moments.Chunk"/>.</summary>
    private readonly struct AffineGradientJob<T>(T* x, T* dy, T* mean, T* rstd, T* dWeight, T* dBias, int rows, int m) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            Span<T> xhat = stackalloc T[Moments.Chunk];
            for (int block = start; block < end; block++)
            {
                int j = block * Moments.Chunk, len = Math.Min(Moments.Chunk, m - j);
                var dw = dWeight == null ? default : new Span<T>(dWeight + j, len);
                var db = dBias == null ? default : new Span<T>(dBias + j, len);
                dw.Clear();
                db.Clear();
                for (int r = 0; r < rows; r++)
                {
                    var g = new ReadOnlySpan<T>(dy + (long)r * m + j, len);
                    if (dBias != null) TensorPrimitives.Add(db, g, db);
                    if (dWeight == null) continue;
                    Moments.ScaleShift(new ReadOnlySpan<T>(x + (long)r * m + j, len), rstd[r], -mean[r] * rstd[r], xhat[..len]);
                    TensorPrimitives.MultiplyAdd(g, xhat[..len], dw, dw);
                }
            }
        }
    }
}
