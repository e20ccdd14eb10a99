using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels.Gemm;

namespace Nabla.Kernels.Recurrent;

/// <summary>Runs one recurrent layer direction over all its steps, forward and backward (backpropagation through
/// time), for any <see cref="IRecurrentCell{T}"/>. Buffer layouts: <see cref="RecurrenceShape"/>.</summary>
/// <remarks>
/// The input projection for every step is one GEMM done by the caller; each step here costs one GEMM
/// hh = h·W_hhᵀ + b_hh ([B, H]·[H, G]) and the fused cell. Backward runs the steps in reverse: the cell gives ∂xp
/// and ∂hh, one GEMM per step sends ∂hh·W_hh to the previous h, and ∂W_hh = Σ_k ∂hh_kᵀ·h_k comes at the end as a
/// single GEMM over all T·B rows. A padded step (t ≥ length) leaves the state as it was and outputs zeros, so
/// padding never reaches the result, in either direction: a reversed pass meets the padding first and starts from
/// the initial state at each sequence's own last element.
/// </remarks>
internal static class Recurrence<T, TCell>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TCell : IRecurrentCell<T>
{
    /// <summary>Fills states[1..], saved and output from states[0] (the initial state) and xp.</summary>
    /// <param name="s">The sizes.</param>
    /// <param name="lengths">Per-sequence lengths, or empty when all are T.</param>
    /// <param name="reverse">Whether the steps run from t = T − 1 down to 0.</param>
    /// <param name="xp">x·W_ihᵀ + b_ih [T, B, G].</param>
    /// <param name="wHhTransposed">W_hhᵀ [H, G], laid out so the per-step GEMM reads it in place.</param>
    /// <param name="bHh">b_hh [G], or empty.</param>
    /// <param name="states">[T + 1, B, S]; row 0 holds the initial state on entry.</param>
    /// <param name="saved">[T, B, V].</param>
    /// <param name="output">[T + 1, B, S].</param>
    public static void Forward(in RecurrenceShape s, ReadOnlySpan<int> lengths, bool reverse, ReadOnlySpan<T> xp,
        ReadOnlySpan<T> wHhTransposed, ReadOnlySpan<T> bHh, Span<T> states, Span<T> saved, Span<T> output)
    {
        int steps = s.Steps, batch = s.Batch, h = s.Hidden, g = s.GateWidth, sw = s.StateWidth, v = s.SavedWidth;
        // Scratch from the shared pool: hh is often above the large-object threshold, and allocating it per call
        // would cost a full collection every few training steps.
        var hhArray = ArrayPool<T>.Shared.Rent(batch * g);
        var workArray = ArrayPool<T>.Shared.Rent(4 * h);
        var hh = hhArray.AsSpan(0, batch * g);
        var work = workArray.AsSpan(0, 4 * h);
        for (int k = 0; k < steps; k++)
        {
            int t = s.TimeOf(k, reverse);
            var prev = states.Slice(k * batch * sw, batch * sw);
            var next = states.Slice((k + 1) * batch * sw, batch * sw);
            HiddenProjection(batch, h, g, sw, prev, wHhTransposed, bHh, hh);
            for (int b = 0; b < batch; b++)
            {
                var outRow = output.Slice((t * batch + b) * sw, sw);
                if (!RecurrenceShape.IsActive(lengths, t, b))
                {
                    prev.Slice(b * sw, sw).CopyTo(next.Slice(b * sw, sw));
                    outRow.Clear();
                    continue;
                }
                TCell.Forward(h, xp.Slice((t * batch + b) * g, g), hh.Slice(b * g, g), prev.Slice(b * sw, sw),
                    next.Slice(b * sw, sw), saved.Slice((k * batch + b) * v, v), work);
                next.Slice(b * sw, sw).CopyTo(outRow);
            }
        }
        states.Slice(steps * batch * sw, batch * sw).CopyTo(output.Slice(steps * batch * sw, batch * sw));
        ArrayPool<T>.Shared.Return(hhArray);
        ArrayPool<T>.Shared.Return(workArray);
    }

    /// <summary>Backpropagation through time: from ∂output [T + 1, B, S] writes ∂xp [T, B, G], ∂W_hh [G, H],
    /// ∂b_hh [G] and ∂(initial state) [B, S]; any of the first three may be empty when not needed. dHh is scratch
    /// [T, B, G].</summary>
    public static void Backward(in RecurrenceShape s, ReadOnlySpan<int> lengths, bool reverse, ReadOnlySpan<T> wHh,
        ReadOnlySpan<T> states, ReadOnlySpan<T> saved, ReadOnlySpan<T> dOutput,
        Span<T> dXp, Span<T> dWhh, Span<T> dBhh, Span<T> dInitial, Span<T> dHh)
    {
        int steps = s.Steps, batch = s.Batch, h = s.Hidden, g = s.GateWidth, sw = s.StateWidth, v = s.SavedWidth;
        dHh.Clear();                                        // ∂hh per step taken [T, B, G], kept for ∂W_hh and ∂b_hh
        var dXpRow = new T[g];                              // small: below the large-object threshold for any usual H
        var dNext = new T[sw];
        var work = new T[4 * h];
        var dState = dInitial;                              // running ∂L/∂(state before the step being undone)
        dOutput.Slice(steps * batch * sw, batch * sw).CopyTo(dState);
        for (int k = steps - 1; k >= 0; k--)
        {
            int t = s.TimeOf(k, reverse);
            var prev = states.Slice(k * batch * sw, batch * sw);
            var next = states.Slice((k + 1) * batch * sw, batch * sw);
            var dHhStep = dHh.Slice(k * batch * g, batch * g);
            for (int b = 0; b < batch; b++)
            {
                var dXpOut = dXp.IsEmpty ? dXpRow : dXp.Slice((t * batch + b) * g, g);
                if (!RecurrenceShape.IsActive(lengths, t, b))
                {
                    dXpOut.Clear();   // ∂hh stays zero (cleared above); the state's gradient passes through unchanged
                    continue;
                }
                var dStateRow = dState.Slice(b * sw, sw);
                TensorPrimitives.Add(dStateRow, dOutput.Slice((t * batch + b) * sw, sw), dNext);
                TCell.Backward(h, prev.Slice(b * sw, sw), next.Slice(b * sw, sw), saved.Slice((k * batch + b) * v, v),
                    dNext, dXpOut, dHhStep.Slice(b * g, g), dStateRow, work);
            }
            // ∂h += ∂hh·W_hh: [B, G]·[G, H] into the h part of each state row.
            GemmOf<T>.Batched(false, false, 1, batch, h, g, T.One, dHhStep, g, 0, wHh, h, 0, T.One, dState, sw, 0);
        }
        if (!dWhh.IsEmpty)
        {
            // ∂W_hh = Σ_k ∂hh_kᵀ·h_k: [G, T·B]·[T·B, H]; the h of step k is the first H of each row of states[k].
            if (steps * batch == 0) dWhh.Clear();
            else GemmOf<T>.Batched(true, false, 1, g, h, steps * batch, T.One, dHh, g, 0, states, sw, 0, T.Zero, dWhh, h, 0);
        }
        if (!dBhh.IsEmpty)
        {
            dBhh.Clear();
            for (int row = 0; row < steps * batch; row++) TensorPrimitives.Add(dBhh, dHh.Slice(row * g, g), dBhh);
        }
    }

    /// <summary>hh = h·W_hhᵀ + b_hh for all B rows of one state block (h is the first H of each row of width S).</summary>
    private static void HiddenProjection(int batch, int h, int g, int sw, ReadOnlySpan<T> states,
        ReadOnlySpan<T> wHhTransposed, ReadOnlySpan<T> bHh, Span<T> hh)
    {
        T beta = T.Zero;
        if (!bHh.IsEmpty)
        {
            for (int b = 0; b < batch; b++) bHh.CopyTo(hh.Slice(b * g, g));
            beta = T.One;
        }
        if (batch == 0) return;
        if (h == 0) { if (bHh.IsEmpty) hh.Clear(); return; }
        GemmOf<T>.Batched(false, false, 1, batch, g, h, T.One, states, sw, 0, wHhTransposed, g, 0, beta, hh, g, 0);
    }
}
