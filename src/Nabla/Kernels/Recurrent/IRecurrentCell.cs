using System.Numerics;

namespace Nabla.Kernels.Recurrent;

/// <summary>One cell's arithmetic for one sequence and one step, forward and backward, on vectors of H.</summary>
/// <remarks>
/// The gate pre-activations arrive in two parts: xp = W_ih·x + b_ih and hh = W_hh·h + b_hh (the GRU needs them
/// apart, because r multiplies only the hidden part of n). Backward receives dNext = ∂L/∂(state after the step)
/// and writes ∂L/∂xp, ∂L/∂hh and the part of ∂L/∂(previous state) that does not pass through W_hh (the driver adds
/// ∂L/∂hh·W_hh to the h part itself).
/// </remarks>
internal interface IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>next = cell(prev, xp + hh); saved receives what <see cref="Backward"/> needs. work holds ≥ 4H.</summary>
    static abstract void Forward(int hidden, ReadOnlySpan<T> xp, ReadOnlySpan<T> hh, ReadOnlySpan<T> prev,
        Span<T> next, Span<T> saved, Span<T> work);

    /// <summary>From dNext, writes dXp, dHh and dPrev (the direct part). work holds ≥ 4H.</summary>
    static abstract void Backward(int hidden, ReadOnlySpan<T> prev, ReadOnlySpan<T> next, ReadOnlySpan<T> saved,
        ReadOnlySpan<T> dNext, Span<T> dXp, Span<T> dHh, Span<T> dPrev, Span<T> work);
}
