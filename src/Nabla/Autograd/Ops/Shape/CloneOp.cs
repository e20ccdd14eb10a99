using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = a contiguous copy of x, optionally converted to another floating dtype (Clone, Contiguous, To).
/// dx = dy (converted back to x's dtype).</summary>
internal sealed class CloneOp(Tensor x, string name) : Node(x)
{
    private readonly DType xType = x.DType;

    public override string Name => name;

    public static Tensor Apply(Tensor x, DType dtype, string name)
    {
        var y = dtype == x.DType ? x.CloneRaw() : x.ToRaw(dtype);
        bool differentiable = dtype.IsFloatingPoint();
        return differentiable && Graph.ShouldRecord(x) ? Graph.Record(y, new CloneOp(x, name)) : y;
    }

    protected internal override void Backward(Tensor dy) => AddGrad(0, dy.DType == xType ? dy : dy.ToRaw(xType));
}
