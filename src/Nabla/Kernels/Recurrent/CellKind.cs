namespace Nabla.Kernels.Recurrent;

/// <summary>The recurrent cells Nabla runs, with PyTorch's gate layouts (gate blocks of H rows, in this order):
/// RNN one block, LSTM i, f, g, o, GRU r, z, n.</summary>
internal enum CellKind
{
    /// <summary>h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh).</summary>
    RnnTanh,

    /// <summary>h' = relu(W_ih·x + b_ih + W_hh·h + b_hh).</summary>
    RnnRelu,

    /// <summary>Long short-term memory: gates i, f, g, o; the state is (h, c).</summary>
    Lstm,

    /// <summary>Gated recurrent unit: gates r, z, n.</summary>
    Gru,
}

/// <summary>Widths that follow from a cell kind and the hidden size H.</summary>
internal static class CellKinds
{
    /// <summary>Gate blocks per cell: 1 (RNN), 4 (LSTM), 3 (GRU).</summary>
    public static int GateCount(this CellKind kind) => kind switch { CellKind.Lstm => 4, CellKind.Gru => 3, _ => 1 };

    /// <summary>Vectors of H in the recurrent state: 2 for the LSTM's (h, c), else 1.</summary>
    public static int StateCount(this CellKind kind) => kind == CellKind.Lstm ? 2 : 1;

    /// <summary>Vectors of H a step keeps for backward: the LSTM's activated i, f, g, o; the GRU's r, z, n and
    /// W_hn·h + b_hn; none for a plain RNN, whose derivative is a function of its output.</summary>
    public static int SavedCount(this CellKind kind) => kind switch { CellKind.Lstm => 4, CellKind.Gru => 4, _ => 0 };
}
