using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels.Norm;

/// <summary>Vectorized sums for the normalization kernels, accumulated chunk by chunk in double.</summary>
/// <remarks>
/// Each chunk (at most <see cref="Chunk"/> elements) is reduced by TensorPrimitives in the element type and the
/// partial sums are added in double, so float32 rounding grows with the chunk, not with the whole plane (PyTorch's
/// CPU batch norm likewise accumulates float in double). Centered sums subtract the mean first through a small stack
/// scratch, so Σ(x − μ)² has no cancellation when |μ| ≫ σ.
/// </remarks>
internal static class Moments
{
    /// <summary>Chunk length: 256 elements stay in L1 next to their scratch.</summary>
    public const int Chunk = 256;

    /// <summary>Σ x.</summary>
    public static double Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i += Chunk)
            sum += double.CreateTruncating(TensorPrimitives.Sum(x.Slice(i, Math.Min(Chunk, x.Length - i))));
        return sum;
    }

    /// <summary>Σ (x − mean)².</summary>
    public static double SquaredDeviations<T>(ReadOnlySpan<T> x, T mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> scratch = stackalloc T[Chunk];
        double sum = 0;
        for (int i = 0; i < x.Length; i += Chunk)
        {
            var chunk = x.Slice(i, Math.Min(Chunk, x.Length - i));
            var d = scratch[..chunk.Length];
            TensorPrimitives.Subtract(chunk, mean, d);
            sum += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(d));
        }
        return sum;
    }

    /// <summary>Σ a·(x − mean).</summary>
    public static double DotCentered<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> x, T mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> scratch = stackalloc T[Chunk];
        double sum = 0;
        for (int i = 0; i < x.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - i);
            var d = scratch[..n];
            TensorPrimitives.Subtract(x.Slice(i, n), mean, d);
            sum += double.CreateTruncating(TensorPrimitives.Dot(a.Slice(i, n), d));
        }
        return sum;
    }

    /// <summary>y = x·scale + shift.</summary>
    public static void ScaleShift<T>(ReadOnlySpan<T> x, T scale, T shift, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - i);
            var dst = y.Slice(i, n);
            TensorPrimitives.Multiply(x.Slice(i, n), scale, dst);
            TensorPrimitives.Add(dst, shift, dst);
        }
    }

    /// <summary>dx = dy·c1 + c3 + (x − mean)·c2: the form every normalization's input gradient takes for one channel
    /// or row (c2 = 0 when the statistics are constants, as in evaluation mode).</summary>
    public static void AffineGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, T mean, T c1, T c2, T c3, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> scratch = stackalloc T[Chunk];
        for (int i = 0; i < dy.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, dy.Length - i);
            var dst = dx.Slice(i, n);
            TensorPrimitives.Multiply(dy.Slice(i, n), c1, dst);
            TensorPrimitives.Add(dst, c3, dst);
            if (c2 == T.Zero) continue;
            var d = scratch[..n];
            TensorPrimitives.Subtract(x.Slice(i, n), mean, d);
            TensorPrimitives.MultiplyAdd(d, c2, dst, dst);
        }
    }
}
