using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = max (or min) over all elements.  dx = dy/k at each of the k elements equal to y, 0 elsewhere —
/// ties share the gradient evenly, as torch.max(x) does.</summary>
internal sealed class ExtremeAllOp : Node
{
    private SavedTensor x, y;
    private readonly bool isMax;

    private ExtremeAllOp(Tensor x, Tensor y, bool isMax) : base(x)
    {
        (this.x, this.y, this.isMax) = (Save(x), Save(y), isMax);
    }

    public override string Name => isMax ? "Max" : "Min";

    public static Tensor Apply(Tensor x, bool isMax)
    {
        if (x.NumEl == 0) Throw.Argument($"{(isMax ? "Max" : "Min")}: cannot reduce an empty tensor {ShapeUtil.Format(x.ShapeSpan)} (no identity).");
        var y = ReduceDriver.Extreme(x.ReshapeRaw([-1]), 0, keepDim: false, isMax).Values;
        return Graph.ShouldRecord(x) ? Graph.Record(y, new ExtremeAllOp(x, y, isMax)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var mask = x.Value.Eq(y.Value).ToRaw(dy.DType);
        double count = mask.CountNonZero();
        AddGrad(0, mask.Mul(dy.Div(Math.Max(count, 1))));
    }

    protected internal override void ReleaseSaved() => (x, y) = (default, default);
}
