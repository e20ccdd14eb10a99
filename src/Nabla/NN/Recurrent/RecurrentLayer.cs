using Nabla.Autograd.Ops;
using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>What <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> share: PyTorch's parameters
/// (weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, with the _reverse suffix for the second direction,
/// gate blocks stacked in PyTorch's order), its initialization U(−1/√H, 1/√H), its input and state shapes, and the
/// layer-by-layer, direction-by-direction run.</summary>
/// <remarks>
/// Each layer direction costs one GEMM for the input projection of all T steps and one fused
/// <see cref="RecurrenceOp"/> for the recurrence. Variable-length batches: pass <c>lengths</c> (or a
/// <see cref="PackedSequence"/>); steps at and after a sequence's length are padding, never read, and output zeros,
/// and h_n holds each sequence's state at its own last step, as with PyTorch's packed sequences.
/// </remarks>
public abstract class RecurrentLayer : Module
{
    private readonly CellKind kind;
    private readonly Parameter[] weightIh, weightHh;
    private readonly Parameter?[] biasIh, biasHh;
    private readonly Generator? dropoutGenerator;

    /// <summary>Features per input step.</summary>
    public int InputSize { get; }

    /// <summary>H: features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>The shared options.</summary>
    public RecurrentOptions Options { get; }

    /// <summary>Directions per layer: 2 when bidirectional, else 1.</summary>
    public int Directions => Options.Bidirectional ? 2 : 1;

    private protected RecurrentLayer(CellKind kind, int inputSize, int hiddenSize, RecurrentOptions? options, Generator? generator)
    {
        options ??= new RecurrentOptions();
        string name = GetType().Name;
        if (inputSize < 0) Throw.OutOfRange($"{name}: input_size must be non-negative; got {inputSize}.", nameof(inputSize));
        if (hiddenSize <= 0) Throw.OutOfRange($"{name}: hidden_size must be positive; got {hiddenSize}.", nameof(hiddenSize));
        if (options.NumLayers <= 0) Throw.OutOfRange($"{name}: num_layers must be positive; got {options.NumLayers}.", nameof(options));
        if (options.Dropout is < 0 or > 1 || double.IsNaN(options.Dropout))
            Throw.OutOfRange($"{name}: dropout must be in [0, 1]; got {options.Dropout}.", nameof(options));
        (this.kind, InputSize, HiddenSize, Options, dropoutGenerator) = (kind, inputSize, hiddenSize, options, generator);
        int gates = kind.GateCount() * hiddenSize, count = options.NumLayers * Directions;
        (weightIh, weightHh, biasIh, biasHh) = (new Parameter[count], new Parameter[count], new Parameter?[count], new Parameter?[count]);
        for (int layer = 0; layer < options.NumLayers; layer++)
            for (int d = 0; d < Directions; d++)
            {
                int i = layer * Directions + d, inFeatures = layer == 0 ? inputSize : hiddenSize * Directions;
                string suffix = $"_l{layer}{(d == 1 ? "_reverse" : "")}";
                weightIh[i] = RegisterParameter("weight_ih" + suffix, Tensor.Empty([gates, inFeatures]));
                weightHh[i] = RegisterParameter("weight_hh" + suffix, Tensor.Empty([gates, hiddenSize]));
                if (options.Bias)
                {
                    biasIh[i] = RegisterParameter("bias_ih" + suffix, Tensor.Empty([gates]));
                    biasHh[i] = RegisterParameter("bias_hh" + suffix, Tensor.Empty([gates]));
                }
            }
        ResetParameters(generator);
    }

    /// <summary>Re-draws every weight and bias from U(−1/√H, 1/√H), PyTorch's default.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double bound = 1 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters()) Init.Uniform(p, -bound, bound, generator);
    }

    /// <summary>Runs every layer and direction over time-major input [T, B, I] from states [L·D, B, H]
    /// (c0 only for an LSTM); returns the last layer's output [T, B, D·H] and the final states [L·D, B, H].</summary>
    private protected (Tensor Output, Tensor HN, Tensor? CN) Run(Tensor input, Tensor h0, Tensor? c0, int[]? lengths)
    {
        string op = GetType().Name;
        int steps = input.shape[0], h = HiddenSize, dirs = Directions;
        var x = input;
        var hn = new Tensor[weightIh.Length];
        var cn = c0 is null ? null : new Tensor[weightIh.Length];
        for (int layer = 0; layer < Options.NumLayers; layer++)
        {
            var outputs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++)
            {
                int i = layer * dirs + d;
                var xp = Functional.Linear(x, weightIh[i], biasIh[i]);
                var y = RecurrenceOp.Apply(op, kind, xp, weightHh[i], biasHh[i], h0.Select(0, i), c0?.Select(0, i), lengths, reverse: d == 1);
                outputs[d] = y.Narrow(0, 0, steps).Narrow(2, 0, h);
                var final = y.Select(0, steps);
                hn[i] = final.Narrow(1, 0, h);
                if (cn is not null) cn[i] = final.Narrow(1, h, h);
            }
            x = dirs == 1 ? outputs[0] : Tensor.Cat(outputs, 2);
            if (Options.Dropout > 0 && Training && layer < Options.NumLayers - 1)
                x = Functional.Dropout(x, Options.Dropout, training: true, dropoutGenerator);
        }
        return (x, Tensor.Stack(hn, 0), cn is null ? null : Tensor.Stack(cn, 0));
    }

    /// <summary>The whole forward pass of a network whose state is h alone (RNN, GRU).</summary>
    private protected (Tensor Output, Tensor Hidden) ForwardHidden(Tensor input, Tensor? h0, int[]? lengths)
    {
        var x = TimeMajor(input, out bool batched);
        var h = InitialState("h0", h0, x.shape[1], batched, x.DType);
        var (output, hn, _) = Run(x, h, null, Lengths(lengths, x.shape[1], batched));
        return (FromTimeMajor(output, batched), FinalState(hn, batched));
    }

    /// <summary>The same over a packed batch; the output is packed the same way.</summary>
    private protected (PackedSequence Output, Tensor Hidden) ForwardHidden(PackedSequence input, Tensor? h0)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (output, hidden) = ForwardHidden(InModuleLayout(input.Padded), h0, input.LengthsArray());
        return (input.WithPadded(InModuleLayout(output)), hidden);
    }

    /// <summary>Checks the input and brings it to time-major [T, B, I]; <paramref name="batched"/> is false for a
    /// 2-D (unbatched) input, which becomes a batch of one.</summary>
    private protected Tensor TimeMajor(Tensor input, out bool batched)
    {
        string op = GetType().Name;
        if (input.Dim is not (2 or 3) || input.shape[^1] != InputSize)
            Throw.Shape(op, Options.BatchFirst ? $"[B, T, {InputSize}] or [T, {InputSize}]" : $"[T, B, {InputSize}] or [T, {InputSize}]",
                ShapeUtil.Format(input.shape),
                $"{op}: input must be {(Options.BatchFirst ? "[batch, steps" : "[steps, batch")}, {InputSize}] (or unbatched [steps, {InputSize}]); got {ShapeUtil.Format(input.shape)}.");
        if (!input.DType.IsFloatingPoint()) Throw.DType(op, input.DType, "float32 or float64");
        batched = input.Dim == 3;
        if (!batched) return input.Unsqueeze(1);
        return Options.BatchFirst ? input.Transpose(0, 1) : input;
    }

    /// <summary>Swaps between a packed sequence's time-major layout and this module's (its own inverse): a packed
    /// sequence is layout-free, as in PyTorch, and only the padded tensors follow batch_first.</summary>
    private protected Tensor InModuleLayout(Tensor padded) => Options.BatchFirst ? padded.Transpose(0, 1) : padded;

    /// <summary>Undoes <see cref="TimeMajor"/> on the output sequence [T, B, D·H].</summary>
    private protected Tensor FromTimeMajor(Tensor output, bool batched) =>
        !batched ? output.Squeeze(1) : Options.BatchFirst ? output.Transpose(0, 1) : output;

    /// <summary>The initial state [L·D, B, H]: zeros when null; an unbatched [L·D, H] state gets a batch of one.</summary>
    private protected Tensor InitialState(string name, Tensor? state, int batch, bool batched, DType dtype)
    {
        int count = weightIh.Length;
        if (state is null) return Tensor.Zeros([count, batch, HiddenSize], dtype);
        int[] expected = batched ? [count, batch, HiddenSize] : [count, HiddenSize];
        if (!ShapeUtil.SameShape(state.shape, expected))
            Throw.Shape(GetType().Name, ShapeUtil.Format(expected), ShapeUtil.Format(state.shape),
                $"{GetType().Name}: {name} must be [num_layers·directions, {(batched ? "batch, " : "")}hidden] = {ShapeUtil.Format(expected)}; got {ShapeUtil.Format(state.shape)}.");
        return batched ? state : state.Unsqueeze(1);
    }

    /// <summary>Undoes the batch of one added to an unbatched final state.</summary>
    private protected static Tensor FinalState(Tensor state, bool batched) => batched ? state : state.Squeeze(1);

    /// <summary>The per-sequence lengths as ints, checked against the batch.</summary>
    private protected int[]? Lengths(int[]? lengths, int batch, bool batched)
    {
        if (lengths is null) return null;
        if (!batched) Throw.Argument($"{GetType().Name}: sequence lengths need a batched input [steps, batch, features].");
        if (lengths.Length != batch)
            Throw.Argument($"{GetType().Name}: {lengths.Length} sequence lengths given for a batch of {batch}; expected one per sequence.");
        return lengths;
    }

    /// <inheritdoc/>
    public override string Describe() =>
        $"{GetType().Name}({InputSize}, {HiddenSize}{(Options.NumLayers != 1 ? $", num_layers={Options.NumLayers}" : "")}" +
        $"{(Options.Bias ? "" : ", bias=False")}{(Options.BatchFirst ? ", batch_first=True" : "")}" +
        $"{(Options.Dropout > 0 ? $", dropout={Options.Dropout}" : "")}{(Options.Bidirectional ? ", bidirectional=True" : "")}{DescribeExtra()})";

    /// <summary>Options a subclass adds to <see cref="Describe"/>.</summary>
    private protected virtual string DescribeExtra() => "";
}
