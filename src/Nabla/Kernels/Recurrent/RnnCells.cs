using Nabla.Kernels.Elementwise;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels.Recurrent;

/// <summary>h' = tanh(a), a = xp + hh.  ∂a = ∂h'·(1 − h'²): the derivative needs only the output, so nothing is saved.</summary>
internal readonly struct RnnTanhCell<T> : IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Forward(int hidden, ReadOnlySpan<T> xp, ReadOnlySpan<T> hh, ReadOnlySpan<T> prev,
        Span<T> next, Span<T> saved, Span<T> work)
    {
        TensorPrimitives.Add(xp, hh, next);
        AccurateTanh.Apply<T>(next, next);
    }

    public static void Backward(int hidden, ReadOnlySpan<T> prev, ReadOnlySpan<T> next, ReadOnlySpan<T> saved,
        ReadOnlySpan<T> dNext, Span<T> dXp, Span<T> dHh, Span<T> dPrev, Span<T> work)
    {
        var w = work[..hidden];
        TensorPrimitives.Multiply(next, next, w);
        TensorPrimitives.Subtract(T.One, w, w);
        TensorPrimitives.Multiply(w, dNext, dXp);
        dXp.CopyTo(dHh);
        dPrev.Clear();
    }
}

/// <summary>h' = max(a, 0), a = xp + hh.  ∂a = ∂h' where h' &gt; 0, else 0 (PyTorch's convention at a = 0).</summary>
internal readonly struct RnnReluCell<T> : IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Forward(int hidden, ReadOnlySpan<T> xp, ReadOnlySpan<T> hh, ReadOnlySpan<T> prev,
        Span<T> next, Span<T> saved, Span<T> work)
    {
        TensorPrimitives.Add(xp, hh, next);
        TensorPrimitives.Max(next, T.Zero, next);
    }

    public static void Backward(int hidden, ReadOnlySpan<T> prev, ReadOnlySpan<T> next, ReadOnlySpan<T> saved,
        ReadOnlySpan<T> dNext, Span<T> dXp, Span<T> dHh, Span<T> dPrev, Span<T> work)
    {
        for (int j = 0; j < hidden; j++) dXp[j] = next[j] > T.Zero ? dNext[j] : T.Zero;
        dXp.CopyTo(dHh);
        dPrev.Clear();
    }
}
