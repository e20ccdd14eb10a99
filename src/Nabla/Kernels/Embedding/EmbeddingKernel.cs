using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels.Embedding;

/// <summary>Row gather and scatter-add for embedding tables W [V, D]: y[i] = W[idx[i]] and dW[idx[i]] += dy[i].</summary>
/// <remarks>Indices were range-checked by the caller. Each row moves as one span copy or one vectorized add.</remarks>
internal static class EmbeddingKernel
{
    /// <summary>y[i, :] = W[idx[i], :] for every i.</summary>
    public static void Gather<T>(ReadOnlySpan<T> weight, ReadOnlySpan<long> indices, Span<T> y, int dim) where T : unmanaged
    {
        for (int i = 0; i < indices.Length; i++)
            weight.Slice((int)indices[i] * dim, dim).CopyTo(y.Slice(i * dim, dim));
    }

    /// <summary>dW (overwritten) = Σ_i [idx[i] ≠ paddingIdx]·dy[i, :]·scale_i added into row idx[i], where scale_i is
    /// 1, or 1/(occurrences of idx[i]) with <paramref name="scaleByFrequency"/>. paddingIdx −1 means none.</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> dy, ReadOnlySpan<long> indices, Span<T> dWeight, int dim, long paddingIdx, bool scaleByFrequency)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dWeight.Clear();
        int rows = dWeight.Length / Math.Max(dim, 1);
        int[]? counts = scaleByFrequency ? ArrayPool<int>.Shared.Rent(rows) : null;
        try
        {
            if (counts is not null)
            {
                counts.AsSpan(0, rows).Clear();
                foreach (long k in indices) counts[k]++;
            }
            for (int i = 0; i < indices.Length; i++)
            {
                long k = indices[i];
                if (k == paddingIdx) continue;
                var row = dWeight.Slice((int)k * dim, dim);
                var g = dy.Slice(i * dim, dim);
                if (counts is null) TensorPrimitives.Add(row, g, row);
                else TensorPrimitives.MultiplyAdd(g, T.One / T.CreateTruncating(counts[k]), row, row);
            }
        }
        finally
        {
            if (counts is not null) ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>PyTorch's embedding_renorm_: every row named in <paramref name="indices"/> whose p-norm exceeds maxNorm
    /// is scaled by maxNorm/(norm + 1e-7), in place.</summary>
    public static void Renorm<T>(Span<T> weight, ReadOnlySpan<long> indices, int dim, double maxNorm, double normType)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var seen = new HashSet<long>();
        foreach (long k in indices)
        {
            if (!seen.Add(k)) continue;
            var row = weight.Slice((int)k * dim, dim);
            double norm = PNorm(row, normType);
            if (norm > maxNorm) TensorPrimitives.Multiply(row, T.CreateTruncating(maxNorm / (norm + 1e-7)), row);
        }
    }

    private static double PNorm<T>(ReadOnlySpan<T> row, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p == 2) return Math.Sqrt(double.CreateTruncating(TensorPrimitives.SumOfSquares(row)));
        if (p == 1) return double.CreateTruncating(TensorPrimitives.SumOfMagnitudes(row));
        if (double.IsPositiveInfinity(p)) return Math.Abs(double.CreateTruncating(TensorPrimitives.MaxMagnitude(row)));
        double sum = 0;
        foreach (T v in row) sum += Math.Pow(Math.Abs(double.CreateTruncating(v)), p);
        return Math.Pow(sum, 1 / p);
    }
}
