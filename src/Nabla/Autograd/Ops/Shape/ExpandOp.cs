using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x broadcast to a larger shape (a view with stride 0 on the repeated dims).  dx = Σ over the repeated dims of dy.</summary>
internal sealed class ExpandOp(Tensor x) : Node(x)
{
    private readonly int[] xShape = x.shape;

    public static Tensor Apply(Tensor x, ReadOnlySpan<int> shape)
    {
        if (shape.Length < x.Dim)
            Throw.Shape("Expand", $"at least {x.Dim} dims", ShapeUtil.Format(shape), $"Expand: target {ShapeUtil.Format(shape)} has fewer dimensions than the tensor {ShapeUtil.Format(x.shape)}.");
        var target = shape.ToArray();
        int lead = target.Length - x.Dim;
        for (int i = 0; i < target.Length; i++)
        {
            int src = i < lead ? 1 : x.shape[i - lead];
            if (target[i] == -1)
            {
                if (i < lead) Throw.Argument($"Expand: -1 is not allowed for the new leading dimension {i} in {ShapeUtil.Format(shape)}.");
                target[i] = src;
            }
            else if (src != 1 && src != target[i])
                Throw.Shape("Expand", ShapeUtil.Format(shape), ShapeUtil.Format(x.shape),
                    $"Expand: the size {src} of dimension {i - lead} of {ShapeUtil.Format(x.shape)} must match {target[i]} in {ShapeUtil.Format(shape)} or be 1.");
        }
        var y = x.ExpandRaw(target);
        y.ViewBase = x.ViewBase ?? x;
        return Graph.ShouldRecord(x) ? Graph.Record(y, new ExpandOp(x)) : y;
    }

    protected internal override void Backward(Tensor dy) => AddGrad(0, dy.SumToRaw(xShape));
}
