using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>How a classification input of shape [C], [N, C] or [N, C, d₁, …] (classes in dim 1, as PyTorch)
/// splits into rows of C class scores. Row r = n·inner + i, with i the flat index over d₁…; the loss has one
/// value per row, shaped [] for a [C] input and [N, d₁, …] otherwise, which is also the shape of class-index targets.</summary>
internal sealed class ClassLayout
{
    public int Classes { get; }
    public int Batch { get; }
    public int Inner { get; }
    public int Rows => Batch * Inner;
    public int[] InputShape { get; }
    public int[] LossShape { get; }

    private ClassLayout(int[] inputShape)
    {
        InputShape = inputShape;
        bool unbatched = inputShape.Length == 1;
        Classes = inputShape[unbatched ? 0 : 1];
        Batch = unbatched ? 1 : inputShape[0];
        int inner = 1;
        for (int i = 2; i < inputShape.Length; i++) inner *= inputShape[i];
        Inner = inner;
        LossShape = unbatched ? [] : [inputShape[0], .. inputShape[2..]];
    }

    public static ClassLayout Of(string op, Tensor input)
    {
        LossCheck.FloatInput(op, input);
        if (input.Dim == 0)
            Throw.Shape(op, "[C] or [N, C, ...]", "[]", $"{op}: input is 0-d; expected class scores of shape [C], [N, C] or [N, C, d1, ...].");
        return new ClassLayout(input.shape);
    }

    /// <summary><paramref name="t"/> (the input's shape) as contiguous [rows, C]: classes last.</summary>
    public Tensor ToRows(Tensor t)
    {
        if (Inner == 1) return t.ContiguousRaw();
        // [N, C, d₁, …] → [N, C, inner] → [N, inner, C]
        return t.ReshapeRaw([Batch, Classes, Inner]).TransposeRaw(1, 2).ContiguousRaw();
    }

    /// <summary>The inverse of <see cref="ToRows"/>: contiguous [rows, C] back to the input's shape.</summary>
    public Tensor FromRows(Tensor rows)
    {
        if (Inner == 1) return rows.ReshapeRaw(InputShape);
        return rows.ReshapeRaw([Batch, Inner, Classes]).TransposeRaw(1, 2).ContiguousRaw().ReshapeRaw(InputShape);
    }

    /// <summary>Reads class-index targets (int64 or int32, shaped <see cref="LossShape"/>) in row order and checks
    /// each is a class or <paramref name="ignoreIndex"/>. <paramref name="shapeHint"/> completes the shape error.</summary>
    public long[] ReadTargets(string op, Tensor target, long ignoreIndex, string shapeHint)
    {
        if (!ShapeUtil.SameShape(target.ShapeSpan, LossShape))
            Throw.Shape(op, ShapeUtil.Format(LossShape), ShapeUtil.Format(target.ShapeSpan),
                $"{op}: target has shape {ShapeUtil.Format(target.ShapeSpan)} but input {ShapeUtil.Format(InputShape)} needs a target of shape {ShapeUtil.Format(LossShape)} (class indices){shapeHint}.");
        if (target.DType is not (DType.Int64 or DType.Int32))
            Throw.Argument($"{op}: class-index target {ShapeUtil.Format(target.ShapeSpan)} has dtype {target.DType.TorchName()}; expected int64 or int32.");
        var flat = target.ContiguousRaw();
        var classes = new long[Rows];
        if (flat.DType == DType.Int64) flat.Span<long>().CopyTo(classes);
        else { var s = flat.Span<int>(); for (int r = 0; r < classes.Length; r++) classes[r] = s[r]; }
        for (int r = 0; r < classes.Length; r++)
        {
            long t = classes[r];
            if (t != ignoreIndex && (t < 0 || t >= Classes))
                Throw.OutOfRange($"{op}: target class {t} (at flat position {r}) is out of range for {Classes} classes; expected 0..{Classes - 1} or ignoreIndex {ignoreIndex}.");
        }
        return classes;
    }

    /// <summary>A contiguous copy of the class weights, checked to be [C] of the input's dtype; null when none.</summary>
    public Tensor? ReadWeight(string op, Tensor? weight, Tensor input)
    {
        if (weight is null) return null;
        if (weight.Dim != 1 || weight.shape[0] != Classes)
            Throw.Shape(op, $"[{Classes}]", ShapeUtil.Format(weight.ShapeSpan),
                $"{op}: weight has shape {ShapeUtil.Format(weight.ShapeSpan)} but input {ShapeUtil.Format(InputShape)} has {Classes} classes; expected a weight of shape [{Classes}].");
        LossCheck.SameDType(op, "weight", weight, input);
        return weight.CloneRaw();
    }
}
