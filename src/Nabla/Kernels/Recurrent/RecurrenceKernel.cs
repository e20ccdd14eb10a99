using System.Numerics;

namespace Nabla.Kernels.Recurrent;

/// <summary>Picks the cell for a <see cref="CellKind"/> and runs <see cref="Recurrence{T, TCell}"/> with it.</summary>
internal static class RecurrenceKernel
{
    /// <summary><see cref="Recurrence{T, TCell}.Forward"/> for the shape's cell kind.</summary>
    public static void Forward<T>(in RecurrenceShape s, ReadOnlySpan<int> lengths, bool reverse, ReadOnlySpan<T> xp,
        ReadOnlySpan<T> wHhTransposed, ReadOnlySpan<T> bHh, Span<T> states, Span<T> saved, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (s.Kind)
        {
            case CellKind.RnnTanh: Recurrence<T, RnnTanhCell<T>>.Forward(s, lengths, reverse, xp, wHhTransposed, bHh, states, saved, output); break;
            case CellKind.RnnRelu: Recurrence<T, RnnReluCell<T>>.Forward(s, lengths, reverse, xp, wHhTransposed, bHh, states, saved, output); break;
            case CellKind.Lstm: Recurrence<T, LstmCell<T>>.Forward(s, lengths, reverse, xp, wHhTransposed, bHh, states, saved, output); break;
            default: Recurrence<T, GruCell<T>>.Forward(s, lengths, reverse, xp, wHhTransposed, bHh, states, saved, output); break;
        }
    }

    /// <summary><see cref="Recurrence{T, TCell}.Backward"/> for the shape's cell kind.</summary>
    public static void Backward<T>(in RecurrenceShape s, ReadOnlySpan<int> lengths, bool reverse, ReadOnlySpan<T> wHh,
        ReadOnlySpan<T> states, ReadOnlySpan<T> saved, ReadOnlySpan<T> dOutput,
        Span<T> dXp, Span<T> dWhh, Span<T> dBhh, Span<T> dInitial, Span<T> dHh)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (s.Kind)
        {
            case CellKind.RnnTanh: Recurrence<T, RnnTanhCell<T>>.Backward(s, lengths, reverse, wHh, states, saved, dOutput, dXp, dWhh, dBhh, dInitial, dHh); break;
            case CellKind.RnnRelu: Recurrence<T, RnnReluCell<T>>.Backward(s, lengths, reverse, wHh, states, saved, dOutput, dXp, dWhh, dBhh, dInitial, dHh); break;
            case CellKind.Lstm: Recurrence<T, LstmCell<T>>.Backward(s, lengths, reverse, wHh, states, saved, dOutput, dXp, dWhh, dBhh, dInitial, dHh); break;
            default: Recurrence<T, GruCell<T>>.Backward(s, lengths, reverse, wHh, states, saved, dOutput, dXp, dWhh, dBhh, dInitial, dHh); break;
        }
    }
}
