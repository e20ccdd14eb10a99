using System.Numerics;
using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>One recurrent layer direction over a whole sequence, as one graph node (what cuDNN calls a fused RNN):
/// from the input projection xp = x·W_ihᵀ + b_ih [T, B, G], W_hh [G, H], b_hh [G], h0 [B, H] and, for an LSTM,
/// c0 [B, H], it returns [T + 1, B, S]: rows 0..T−1 the state after each time step (h, then c for an LSTM; zeros at
/// padded steps), row T the final state (h_n, c_n). The cell math and its derivative are in
/// <see cref="Kernels.Recurrent"/>; backward is backpropagation through time (<see cref="Recurrence{T, TCell}"/>).</summary>
/// <remarks>One output row per step plus the final state keeps the node single-output: the layers take the
/// output sequence, h_n and c_n as views of it, and their gradients meet here as one tensor.</remarks>
internal sealed class RecurrenceOp : Node
{
    private readonly RecurrenceShape shape;
    private readonly int[] lengths;
    private readonly bool reverse;
    private readonly int biasSlot, h0Slot, c0Slot;
    private SavedTensor wHh;               // [G, H]
    private Tensor? states;                // [T + 1, B, S], processing order
    private Tensor? saved;                 // [T, B, V], processing order

    private RecurrenceOp(Tensor[] inputs, RecurrenceShape shape, int[] lengths, bool reverse, Tensor wHh,
        int biasSlot, int h0Slot, int c0Slot, Tensor states, Tensor saved) : base(inputs)
    {
        (this.shape, this.lengths, this.reverse) = (shape, lengths, reverse);
        (this.biasSlot, this.h0Slot, this.c0Slot) = (biasSlot, h0Slot, c0Slot);
        this.wHh = Save(wHh);
        (this.states, this.saved) = (states, saved);
    }

    /// <summary>Runs the recurrence; <paramref name="lengths"/> (each in [0, T]) marks the steps at and after a
    /// sequence's length as padding.</summary>
    public static Tensor Apply(string op, CellKind kind, Tensor xp, Tensor wHh, Tensor? bHh, Tensor h0, Tensor? c0,
        int[]? lengths, bool reverse)
    {
        var shape = Check(op, kind, xp, wHh, bHh, h0, c0, lengths);
        int steps = shape.Steps, batch = shape.Batch, sw = shape.StateWidth;
        var states = Tensor.Uninitialized([steps + 1, batch, sw], xp.DType);
        var saved = Tensor.Uninitialized([steps, batch, shape.SavedWidth], xp.DType);
        var output = Tensor.Uninitialized([steps + 1, batch, sw], xp.DType);
        var initial = c0 is null ? h0 : Tensor.Cat([h0.Detach(), c0.Detach()], 1);
        using (Tensor.NoGrad()) states.Narrow(0, 0, 1).Copy_(initial.Unsqueeze(0));
        var xpc = xp.ContiguousRaw();
        var wT = wHh.TransposeRaw(0, 1).ContiguousRaw();
        var bc = bHh?.ContiguousRaw();
        int[] lens = lengths ?? [];
        if (xp.DType == DType.Float32) Forward<float>(shape, lens, reverse, xpc, wT, bc, states, saved, output);
        else Forward<double>(shape, lens, reverse, xpc, wT, bc, states, saved, output);

        Tensor[] inputs = [xp, wHh, .. bHh is null ? Array.Empty<Tensor>() : [bHh], h0, .. c0 is null ? Array.Empty<Tensor>() : [c0]];
        if (!Graph.ShouldRecord(inputs)) return output;
        int biasSlot = bHh is null ? -1 : 2, h0Slot = bHh is null ? 2 : 3, c0Slot = c0 is null ? -1 : h0Slot + 1;
        return Graph.Record(output, new RecurrenceOp(inputs, shape, lens, reverse, wHh, biasSlot, h0Slot, c0Slot, states, saved));
    }

    private static void Forward<T>(in RecurrenceShape s, int[] lengths, bool reverse, Tensor xp, Tensor wT, Tensor? b,
        Tensor states, Tensor saved, Tensor output) where T : unmanaged, IFloatingPointIeee754<T> =>
        RecurrenceKernel.Forward<T>(s, lengths, reverse, xp.Span<T>(), wT.Span<T>(), b is null ? default : b.Span<T>(),
            states.Span<T>(), saved.Span<T>(), output.Span<T>());

    protected internal override void Backward(Tensor gradOutput)
    {
        var w = wHh.Value.ContiguousRaw();
        var (st, sv) = (states!, saved!);
        var dy = gradOutput.ContiguousRaw();
        int steps = shape.Steps, batch = shape.Batch, g = shape.GateWidth, h = shape.Hidden;
        var dXp = NeedsGrad(0) ? Tensor.Uninitialized([steps, batch, g], dy.DType) : null;
        var dW = NeedsGrad(1) ? Tensor.Uninitialized([g, h], dy.DType) : null;
        var dB = biasSlot > 0 && NeedsGrad(biasSlot) ? Tensor.Uninitialized([g], dy.DType) : null;
        var dInitial = Tensor.Uninitialized([batch, shape.StateWidth], dy.DType);
        var dHh = Tensor.Uninitialized([steps, batch, g], dy.DType);
        if (dy.DType == DType.Float32) Backward<float>(w, st, sv, dy, dXp, dW, dB, dInitial, dHh);
        else Backward<double>(w, st, sv, dy, dXp, dW, dB, dInitial, dHh);
        if (dXp is not null) AddGrad(0, dXp);
        if (dW is not null) AddGrad(1, dW);
        if (dB is not null) AddGrad(biasSlot, dB);
        if (NeedsGrad(h0Slot)) AddGrad(h0Slot, dInitial.Narrow(1, 0, h).Contiguous());
        if (c0Slot > 0 && NeedsGrad(c0Slot)) AddGrad(c0Slot, dInitial.Narrow(1, h, h).Contiguous());
    }

    private void Backward<T>(Tensor w, Tensor st, Tensor sv, Tensor dy, Tensor? dXp, Tensor? dW, Tensor? dB,
        Tensor dInitial, Tensor dHh) where T : unmanaged, IFloatingPointIeee754<T> =>
        RecurrenceKernel.Backward<T>(shape, lengths, reverse, w.Span<T>(), st.Span<T>(), sv.Span<T>(), dy.Span<T>(),
            dXp is null ? default : dXp.Span<T>(), dW is null ? default : dW.Span<T>(), dB is null ? default : dB.Span<T>(),
            dInitial.Span<T>(), dHh.Span<T>());

    protected internal override void ReleaseSaved() => (wHh, states, saved) = (default, null, null);

    private static RecurrenceShape Check(string op, CellKind kind, Tensor xp, Tensor wHh, Tensor? bHh, Tensor h0, Tensor? c0, int[]? lengths)
    {
        if (!xp.DType.IsFloatingPoint()) Throw.DType(op, xp.DType, "float32 or float64");
        if (wHh.Dim != 2) Throw.Shape(op, "[G, H]", ShapeUtil.Format(wHh.shape), $"{op}: weight_hh must be 2-D [gates·hidden, hidden]; got {ShapeUtil.Format(wHh.shape)}.");
        int h = wHh.shape[1], g = kind.GateCount() * h;
        if (wHh.shape[0] != g)
            Throw.Shape(op, $"[{g}, {h}]", ShapeUtil.Format(wHh.shape), $"{op}: weight_hh must be [{kind.GateCount()}·hidden, hidden] = [{g}, {h}]; got {ShapeUtil.Format(wHh.shape)}.");
        if (xp.Dim != 3 || xp.shape[2] != g)
            Throw.Shape(op, $"[T, B, {g}]", ShapeUtil.Format(xp.shape), $"{op}: the input projection must be [steps, batch, {g}]; got {ShapeUtil.Format(xp.shape)}.");
        int steps = xp.shape[0], batch = xp.shape[1];
        CheckTensor(op, "bias_hh", bHh, [g], xp);
        CheckTensor(op, "h0", h0, [batch, h], xp);
        if ((kind == CellKind.Lstm) != (c0 is not null))
            Throw.Argument($"{op}: an initial cell state c0 is {(kind == CellKind.Lstm ? "required for an LSTM" : "only meaningful for an LSTM")}.");
        CheckTensor(op, "c0", c0, [batch, h], xp);
        CheckTensor(op, "weight_hh", wHh, wHh.shape, xp);
        if (lengths is not null)
        {
            if (lengths.Length != batch)
                Throw.Argument($"{op}: {lengths.Length} sequence lengths given for a batch of {batch}; expected one per sequence.");
            foreach (int len in lengths)
                if (len < 0 || len > steps)
                    Throw.OutOfRange($"{op}: sequence length {len} is outside [0, {steps}] (the padded length).");
        }
        return new RecurrenceShape(kind, steps, batch, h);
    }

    private static void CheckTensor(string op, string name, Tensor? t, int[] expected, Tensor like)
    {
        if (t is null) return;
        if (!ShapeUtil.SameShape(t.shape, expected))
            Throw.Shape(op, ShapeUtil.Format(expected), ShapeUtil.Format(t.shape), $"{op}: {name} must have shape {ShapeUtil.Format(expected)}; got {ShapeUtil.Format(t.shape)}.");
        if (t.DType != like.DType)
            Throw.Argument($"{op}: {name} has dtype {t.DType.TorchName()} but the input has {like.DType.TorchName()}; they must match.");
    }
}
