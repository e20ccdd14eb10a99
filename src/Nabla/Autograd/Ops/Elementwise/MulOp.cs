using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>c = a · b element-wise, broadcasting.  da = Σ_bcast dc·b,  db = Σ_bcast dc·a.</summary>
internal sealed class MulOp : Node
{
    private SavedTensor a, b;
    private readonly int[] aShape, bShape;

    private MulOp(Tensor a, Tensor b) : base(a, b)
    {
        // Each gradient needs the other operand only.
        if (b.RequiresGrad) this.a = Save(a);
        if (a.RequiresGrad) this.b = Save(b);
        (aShape, bShape) = (a.shape, b.shape);
    }

    public static Tensor Apply(Tensor a, Tensor b)
    {
        var c = BinaryDriver.Run<MulKernel>(a, b);
        return Graph.ShouldRecord(a, b) ? Graph.Record(c, new MulOp(a, b)) : c;
    }

    protected internal override void Backward(Tensor dc)
    {
        if (NeedsGrad(0)) AddGrad(0, dc.Mul(b.Value).SumToRaw(aShape));
        if (NeedsGrad(1)) AddGrad(1, dc.Mul(a.Value).SumToRaw(bShape));
    }

    protected internal override void ReleaseSaved() => (a, b) = (default, default);
}
