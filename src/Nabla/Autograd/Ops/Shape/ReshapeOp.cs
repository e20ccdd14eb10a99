using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x with a new shape and the same elements in row-major order (view, reshape, flatten, squeeze,
/// unsqueeze).  dx = dy reshaped back.</summary>
internal sealed class ReshapeOp(Tensor x, string name) : Node(x)
{
    private readonly int[] xShape = x.shape;

    public override string Name => name;

    /// <summary>A view when the strides allow it; <paramref name="mustView"/> makes a copy an error (View), else it copies (Reshape).</summary>
    public static Tensor Apply(Tensor x, ReadOnlySpan<int> shape, string name, bool mustView)
    {
        var target = x.InferShape(name, shape);
        var strides = x.ViewStrides(target);
        Tensor y;
        if (strides is not null)
        {
            y = x.AsStrided(target, strides, x.Offset);
            y.ViewBase = x.ViewBase ?? x;
        }
        else if (mustView)
            return Throw.InvalidOperation<Tensor>($"{name}: a tensor of shape {ShapeUtil.Format(x.shape)} and strides {ShapeUtil.Format(x.strides)} cannot be viewed as {ShapeUtil.Format(target)} without copying; use Reshape, or Contiguous() first.");
        else y = new Tensor(x.CloneRaw().Storage, target);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new ReshapeOp(x, name)) : y;
    }

    protected internal override void Backward(Tensor dy) => AddGrad(0, dy.ReshapeRaw(xShape));
}
