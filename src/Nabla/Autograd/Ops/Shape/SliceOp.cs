using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x[..., start:end:step, ...] along one dimension (a view; Narrow, Slice, Select).
/// dx = zeros with dy written into the selected positions.</summary>
internal sealed class SliceOp(Tensor x, int dim, int start, int step, bool dropDim) : Node(x)
{
    private readonly int[] xShape = x.shape;

    public override string Name => dropDim ? "Select" : "Slice";

    public static Tensor Apply(Tensor x, int dim, int start, int end, int step, bool dropDim, string name)
    {
        if (x.Dim == 0) Throw.Argument($"{name}: cannot slice a 0-dimensional tensor.");
        int d = ShapeUtil.WrapDim(name, dim, x.Dim);
        int size = x.shape[d];
        if (step <= 0) Throw.Argument($"{name}: step must be positive; got {step}.");
        int count;
        if (dropDim)
        {
            if (start < -size || start >= size) Throw.OutOfRange($"{name}: index {start} is out of range for dimension {d} of size {size}.");
            if (start < 0) start += size;
            count = 1;
        }
        else
        {
            // Python slice semantics: negative bounds count from the end, out-of-range bounds are clipped.
            if (start < 0) start += size;
            if (end < 0) end += size;
            start = Math.Clamp(start, 0, size);
            end = Math.Clamp(end, start, size);
            count = (end - start + step - 1) / step;
        }
        var shape = new List<int>(x.shape);
        var strides = new List<int>(x.strides);
        int offset = x.Offset + start * x.strides[d];
        if (dropDim) { shape.RemoveAt(d); strides.RemoveAt(d); }
        else { shape[d] = count; strides[d] = x.strides[d] * step; }
        var y = x.AsStrided([.. shape], [.. strides], offset);
        y.ViewBase = x.ViewBase ?? x;
        return Graph.ShouldRecord(x) ? Graph.Record(y, new SliceOp(x, d, start, step, dropDim)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var dx = Tensor.Zeros(xShape, dy.DType);
        var region = dropDim
            ? SliceRaw(dx, dim, start, 1, 1).ReshapeRaw(dy.ShapeSpan)
            : SliceRaw(dx, dim, start, dy.ShapeSpan.Length == 0 ? 1 : dy.Shape[dim], step);
        region.CopyFromRaw(dy);
        AddGrad(0, dx);
    }

    private static Tensor SliceRaw(Tensor t, int dim, int start, int count, int step)
    {
        var shape = (int[])t.shape.Clone();
        var strides = (int[])t.strides.Clone();
        shape[dim] = count;
        strides[dim] *= step;
        return t.AsStrided(shape, strides, t.Offset + start * t.strides[dim]);
    }
}
