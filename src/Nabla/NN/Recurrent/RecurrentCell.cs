using Nabla.Autograd.Ops;
using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>What <see cref="RNNCell"/>, <see cref="LSTMCell"/> and <see cref="GRUCell"/> share: PyTorch's parameters
/// weight_ih [G, I], weight_hh [G, H], bias_ih [G], bias_hh [G] (G = gates·H), drawn from U(−1/√H, 1/√H), and one step
/// of the same fused recurrence the layers run.</summary>
public abstract class RecurrentCell : Module
{
    private readonly CellKind kind;

    /// <summary>Features of the input.</summary>
    public int InputSize { get; }

    /// <summary>H: features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>W_ih [G, I].</summary>
    public Parameter WeightIh { get; }

    /// <summary>W_hh [G, H].</summary>
    public Parameter WeightHh { get; }

    /// <summary>b_ih [G], or null.</summary>
    public Parameter? BiasIh { get; }

    /// <summary>b_hh [G], or null.</summary>
    public Parameter? BiasHh { get; }

    private protected RecurrentCell(CellKind kind, int inputSize, int hiddenSize, bool bias, Generator? generator)
    {
        string name = GetType().Name;
        if (inputSize < 0) Throw.OutOfRange($"{name}: input_size must be non-negative; got {inputSize}.", nameof(inputSize));
        if (hiddenSize <= 0) Throw.OutOfRange($"{name}: hidden_size must be positive; got {hiddenSize}.", nameof(hiddenSize));
        (this.kind, InputSize, HiddenSize) = (kind, inputSize, hiddenSize);
        int gates = kind.GateCount() * hiddenSize;
        WeightIh = RegisterParameter("weight_ih", Tensor.Empty([gates, inputSize]));
        WeightHh = RegisterParameter("weight_hh", Tensor.Empty([gates, hiddenSize]));
        if (bias)
        {
            BiasIh = RegisterParameter("bias_ih", Tensor.Empty([gates]));
            BiasHh = RegisterParameter("bias_hh", Tensor.Empty([gates]));
        }
        ResetParameters(generator);
    }

    /// <summary>Re-draws every weight and bias from U(−1/√H, 1/√H), PyTorch's default.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double bound = 1 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters()) Init.Uniform(p, -bound, bound, generator);
    }

    /// <summary>One step: input [B, I] or [I], states [B, H] or [H] (zeros when null); returns the new state as
    /// [B, S] (h, then c for an LSTM) with the caller's batching.</summary>
    private protected (Tensor H, Tensor? C) Step(Tensor input, Tensor? h, Tensor? c)
    {
        string op = GetType().Name;
        if (input.Dim is not (1 or 2) || input.shape[^1] != InputSize)
            Throw.Shape(op, $"[B, {InputSize}] or [{InputSize}]", ShapeUtil.Format(input.shape),
                $"{op}: input must be [batch, {InputSize}] or [{InputSize}]; got {ShapeUtil.Format(input.shape)}.");
        if (!input.DType.IsFloatingPoint()) Throw.DType(op, input.DType, "float32 or float64");
        bool batched = input.Dim == 2;
        var x = batched ? input : input.Unsqueeze(0);
        int batch = x.shape[0];
        var h0 = State(op, "hx", h, batch, batched, x.DType);
        var c0 = kind == CellKind.Lstm ? State(op, "cx", c, batch, batched, x.DType) : null;
        var xp = Functional.Linear(x, WeightIh, BiasIh).Unsqueeze(0);
        var y = RecurrenceOp.Apply(op, kind, xp, WeightHh, BiasHh, h0, c0, null, reverse: false).Select(0, 1);
        var hNew = y.Narrow(1, 0, HiddenSize);
        var cNew = kind == CellKind.Lstm ? y.Narrow(1, HiddenSize, HiddenSize) : null;
        return batched ? (hNew, cNew) : (hNew.Squeeze(0), cNew?.Squeeze(0));
    }

    private Tensor State(string op, string name, Tensor? state, int batch, bool batched, DType dtype)
    {
        if (state is null) return Tensor.Zeros([batch, HiddenSize], dtype);
        int[] expected = batched ? [batch, HiddenSize] : [HiddenSize];
        if (!ShapeUtil.SameShape(state.shape, expected))
            Throw.Shape(op, ShapeUtil.Format(expected), ShapeUtil.Format(state.shape),
                $"{op}: {name} must be {ShapeUtil.Format(expected)} for an input of batch {(batched ? batch : "none")}; got {ShapeUtil.Format(state.shape)}.");
        return batched ? state : state.Unsqueeze(0);
    }

    /// <inheritdoc/>
    public override string Describe() => $"{GetType().Name}({InputSize}, {HiddenSize}{(BiasIh is null ? ", bias=False" : "")})";
}
