using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels.Softmax;

/// <summary>Row-wise softmax and log-softmax over contiguous rows, shifted by the row maximum for stability:
/// softmax(x)ᵢ = e^(xᵢ−m) / Σⱼ e^(xⱼ−m),  log_softmax(x)ᵢ = xᵢ − m − ln Σⱼ e^(xⱼ−m),  m = maxⱼ xⱼ.</summary>
internal static class SoftmaxKernel
{
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int rowLength, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < x.Length; start += rowLength)
        {
            var xr = x.Slice(start, rowLength);
            var yr = y.Slice(start, rowLength);
            T m = TensorPrimitives.Max(xr);
            if (T.IsNegativeInfinity(m)) m = T.Zero;   // a row of −∞ stays finite in the shift
            TensorPrimitives.Subtract(xr, m, yr);
            if (log)
            {
                // y = (x − m) − ln Σ e^(x−m); the exp goes through a scratch row to keep y intact.
                TensorPrimitives.Subtract(yr, T.Log(SumExp(yr)), yr);
            }
            else
            {
                TensorPrimitives.Exp(yr, yr);
                T sum = TensorPrimitives.Sum<T>(yr);
                TensorPrimitives.Multiply(yr, T.One / sum, yr);
            }
        }
    }

    /// <summary>Σ eˣ over a row, vectorized through a small stack scratch so the row itself is not overwritten.</summary>
    private static T SumExp<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> scratch = stackalloc T[256];
        T sum = T.Zero;
        for (int i = 0; i < x.Length; i += scratch.Length)
        {
            var chunk = x.Slice(i, Math.Min(scratch.Length, x.Length - i));
            var s = scratch[..chunk.Length];
            TensorPrimitives.Exp(chunk, s);
            sum += TensorPrimitives.Sum<T>(s);
        }
        return sum;
    }

    /// <summary>softmax: dx = y ⊙ (dy − ⟨dy, y⟩);  log_softmax: dx = dy − eʸ·Σ dy.</summary>
    public static void Backward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int rowLength, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < y.Length; start += rowLength)
        {
            var yr = y.Slice(start, rowLength);
            var dyr = dy.Slice(start, rowLength);
            var dxr = dx.Slice(start, rowLength);
            if (log)
            {
                T s = TensorPrimitives.Sum(dyr);
                for (int i = 0; i < rowLength; i++) dxr[i] = dyr[i] - T.Exp(yr[i]) * s;
            }
            else
            {
                T dot = TensorPrimitives.Dot(dyr, yr);
                for (int i = 0; i < rowLength; i++) dxr[i] = yr[i] * (dyr[i] - dot);
            }
        }
    }
}
