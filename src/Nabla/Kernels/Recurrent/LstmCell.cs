using Nabla.Kernels.Elementwise;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels.Recurrent;

/// <summary>The LSTM cell, as PyTorch's nn.LSTM: with a = xp + hh split into blocks i, f, g, o of H,
/// i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o);  c' = f⊙c + i⊙g;  h' = o⊙tanh(c').</summary>
/// <remarks>
/// Backward (∂ means ∂L/∂·), with dc = ∂c' + ∂h'⊙o⊙(1 − tanh²c'):
/// ∂a_i = dc⊙g⊙i(1 − i), ∂a_f = dc⊙c⊙f(1 − f), ∂a_g = dc⊙i⊙(1 − g²), ∂a_o = ∂h'⊙tanh c'⊙o(1 − o), ∂c = dc⊙f.
/// Saved: the activated gates i, f, g, o; c' is in the state, tanh c' is recomputed.
/// </remarks>
internal readonly struct LstmCell<T> : IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Forward(int hidden, ReadOnlySpan<T> xp, ReadOnlySpan<T> hh, ReadOnlySpan<T> prev,
        Span<T> next, Span<T> saved, Span<T> work)
    {
        int h = hidden;
        var a = work[..(4 * h)];
        TensorPrimitives.Add(xp, hh, a);
        TensorPrimitives.Sigmoid(a[..(2 * h)], saved[..(2 * h)]);                   // i, f
        AccurateTanh.Apply<T>(a.Slice(2 * h, h), saved.Slice(2 * h, h));              // g
        TensorPrimitives.Sigmoid(a.Slice(3 * h, h), saved.Slice(3 * h, h));           // o
        ReadOnlySpan<T> i = saved[..h], f = saved.Slice(h, h), g = saved.Slice(2 * h, h), o = saved.Slice(3 * h, h);
        Span<T> hNext = next[..h], cNext = next.Slice(h, h);
        TensorPrimitives.Multiply(f, prev.Slice(h, h), cNext);                         // c' = f⊙c
        TensorPrimitives.MultiplyAdd(i, g, cNext, cNext);                              //    + i⊙g
        AccurateTanh.Apply<T>(cNext, hNext);
        TensorPrimitives.Multiply(hNext, o, hNext);                                    // h' = o⊙tanh c'
    }

    public static void Backward(int hidden, ReadOnlySpan<T> prev, ReadOnlySpan<T> next, ReadOnlySpan<T> saved,
        ReadOnlySpan<T> dNext, Span<T> dXp, Span<T> dHh, Span<T> dPrev, Span<T> work)
    {
        int h = hidden;
        ReadOnlySpan<T> i = saved[..h], f = saved.Slice(h, h), g = saved.Slice(2 * h, h), o = saved.Slice(3 * h, h);
        ReadOnlySpan<T> c = prev.Slice(h, h), cNext = next.Slice(h, h), dh = dNext[..h], dcNext = dNext.Slice(h, h);
        Span<T> tanhC = work[..h], dc = work.Slice(h, h), t = work.Slice(2 * h, h);
        AccurateTanh.Apply<T>(cNext, tanhC);

        // ∂a_o = ∂h'⊙tanh c'⊙o(1 − o)
        SigmoidDerivative(o, t);
        TensorPrimitives.Multiply(t, tanhC, t);
        TensorPrimitives.Multiply(t, dh, dXp.Slice(3 * h, h));

        // dc = ∂c' + ∂h'⊙o⊙(1 − tanh²c')
        TensorPrimitives.Multiply(tanhC, tanhC, dc);
        TensorPrimitives.Subtract(T.One, dc, dc);
        TensorPrimitives.Multiply(dc, o, dc);
        TensorPrimitives.MultiplyAdd(dc, dh, dcNext, dc);

        SigmoidDerivative(i, t);                                                       // ∂a_i = dc⊙g⊙i(1 − i)
        TensorPrimitives.Multiply(t, g, t);
        TensorPrimitives.Multiply(t, dc, dXp[..h]);
        SigmoidDerivative(f, t);                                                       // ∂a_f = dc⊙c⊙f(1 − f)
        TensorPrimitives.Multiply(t, c, t);
        TensorPrimitives.Multiply(t, dc, dXp.Slice(h, h));
        TensorPrimitives.Multiply(g, g, t);                                            // ∂a_g = dc⊙i⊙(1 − g²)
        TensorPrimitives.Subtract(T.One, t, t);
        TensorPrimitives.Multiply(t, i, t);
        TensorPrimitives.Multiply(t, dc, dXp.Slice(2 * h, h));

        dXp.CopyTo(dHh);
        dPrev[..h].Clear();
        TensorPrimitives.Multiply(dc, f, dPrev.Slice(h, h));                           // ∂c = dc⊙f
    }

    /// <summary>s(1 − s) for an activated sigmoid s.</summary>
    private static void SigmoidDerivative(ReadOnlySpan<T> s, Span<T> destination)
    {
        TensorPrimitives.Multiply(s, s, destination);
        TensorPrimitives.Subtract(s, destination, destination);
    }
}
