using Nabla.Kernels.Elementwise;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels.Recurrent;

/// <summary>The GRU cell, as PyTorch's nn.GRU: with xp and hh split into blocks r, z, n of H,
/// r = σ(xp_r + hh_r), z = σ(xp_z + hh_z), n = tanh(xp_n + r⊙hh_n), h' = (1 − z)⊙n + z⊙h.</summary>
/// <remarks>
/// Backward: ∂n = ∂h'⊙(1 − z), ∂a_n = ∂n⊙(1 − n²) (which is ∂xp_n), ∂hh_n = ∂a_n⊙r,
/// ∂a_r = ∂a_n⊙hh_n⊙r(1 − r), ∂a_z = ∂h'⊙(h − n)⊙z(1 − z), and h's direct part ∂h = ∂h'⊙z.
/// Saved: r, z, n and hh_n (W_hn·h + b_hn, which r scaled).
/// </remarks>
internal readonly struct GruCell<T> : IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Forward(int hidden, ReadOnlySpan<T> xp, ReadOnlySpan<T> hh, ReadOnlySpan<T> prev,
        Span<T> next, Span<T> saved, Span<T> work)
    {
        int h = hidden;
        Span<T> r = saved[..h], z = saved.Slice(h, h), n = saved.Slice(2 * h, h), hhN = saved.Slice(3 * h, h);
        var rz = saved[..(2 * h)];
        TensorPrimitives.Add(xp[..(2 * h)], hh[..(2 * h)], rz);
        TensorPrimitives.Sigmoid(rz, rz);
        hh.Slice(2 * h, h).CopyTo(hhN);
        TensorPrimitives.MultiplyAdd(r, hhN, xp.Slice(2 * h, h), n);                  // xp_n + r⊙hh_n
        AccurateTanh.Apply<T>(n, n);
        var t = work[..h];
        TensorPrimitives.Subtract(prev, n, t);                                         // h' = n + z⊙(h − n)
        TensorPrimitives.MultiplyAdd(z, t, n, next);
    }

    public static void Backward(int hidden, ReadOnlySpan<T> prev, ReadOnlySpan<T> next, ReadOnlySpan<T> saved,
        ReadOnlySpan<T> dNext, Span<T> dXp, Span<T> dHh, Span<T> dPrev, Span<T> work)
    {
        int h = hidden;
        ReadOnlySpan<T> r = saved[..h], z = saved.Slice(h, h), n = saved.Slice(2 * h, h), hhN = saved.Slice(3 * h, h);
        Span<T> daN = work[..h], t = work.Slice(h, h), u = work.Slice(2 * h, h);

        TensorPrimitives.Subtract(T.One, z, t);                                        // ∂n = ∂h'⊙(1 − z)
        TensorPrimitives.Multiply(t, dNext, t);
        TensorPrimitives.Multiply(n, n, daN);                                          // ∂a_n = ∂n⊙(1 − n²)
        TensorPrimitives.Subtract(T.One, daN, daN);
        TensorPrimitives.Multiply(daN, t, daN);
        daN.CopyTo(dXp.Slice(2 * h, h));
        TensorPrimitives.Multiply(daN, r, dHh.Slice(2 * h, h));

        TensorPrimitives.Multiply(r, r, t);                                            // ∂a_r = ∂a_n⊙hh_n⊙r(1 − r)
        TensorPrimitives.Subtract(r, t, t);
        TensorPrimitives.Multiply(t, hhN, t);
        TensorPrimitives.Multiply(t, daN, dXp[..h]);

        TensorPrimitives.Subtract(prev, n, t);                                         // ∂a_z = ∂h'⊙(h − n)⊙z(1 − z)
        TensorPrimitives.Multiply(t, dNext, t);
        TensorPrimitives.Multiply(z, z, u);
        TensorPrimitives.Subtract(z, u, u);
        TensorPrimitives.Multiply(t, u, dXp.Slice(h, h));
        dXp[..(2 * h)].CopyTo(dHh[..(2 * h)]);

        TensorPrimitives.Multiply(dNext, z, dPrev);                                    // ∂h = ∂h'⊙z
    }
}
