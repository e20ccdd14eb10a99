namespace Nabla.Kernels.Recurrent;

/// <summary>The sizes of one recurrent layer direction run over a batch: <paramref name="Steps"/> time steps T,
/// <paramref name="Batch"/> sequences B, hidden size H.</summary>
/// <remarks>
/// Buffers, all row-major: the input projection xp = x·W_ihᵀ + b_ih [T, B, G] in time order; the states
/// [T + 1, B, S] in processing order (row 0 the initial state, row k + 1 the state after the k-th step taken);
/// the saved gate values [T, B, V] in processing order; the output [T + 1, B, S] in time order, row T holding the
/// final state. G = gates·H, S = state vectors·H, V = saved vectors·H (<see cref="CellKinds"/>).
/// </remarks>
internal readonly record struct RecurrenceShape(CellKind Kind, int Steps, int Batch, int Hidden)
{
    /// <summary>G: the width of a step's gate pre-activations.</summary>
    public int GateWidth => Kind.GateCount() * Hidden;

    /// <summary>S: the width of one sequence's state (h, or h then c).</summary>
    public int StateWidth => Kind.StateCount() * Hidden;

    /// <summary>V: the width of what one sequence's step saves for backward.</summary>
    public int SavedWidth => Kind.SavedCount() * Hidden;

    /// <summary>The time index of the <paramref name="k"/>-th step taken: forward k, reversed T − 1 − k.</summary>
    public int TimeOf(int k, bool reverse) => reverse ? Steps - 1 - k : k;

    /// <summary>Whether sequence <paramref name="b"/> has a real (not padded) element at time <paramref name="t"/>.
    /// Empty lengths mean every sequence is T long.</summary>
    public static bool IsActive(ReadOnlySpan<int> lengths, int t, int b) => lengths.IsEmpty || t < lengths[b];
}
