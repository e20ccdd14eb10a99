using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>c = a / b element-wise, broadcasting.  da = Σ_bcast dc/b,  db = −Σ_bcast dc·c/b  (since ∂(a/b)/∂b = −a/b² = −c/b).</summary>
internal sealed class DivOp : Node
{
    private SavedTensor b, c;
    private readonly int[] aShape, bShape;

    private DivOp(Tensor a, Tensor b, Tensor c) : base(a, b)
    {
        this.b = Save(b);
        if (b.RequiresGrad) this.c = Save(c);
        (aShape, bShape) = (a.shape, b.shape);
    }

    public static Tensor Apply(Tensor a, Tensor b)
    {
        var c = BinaryDriver.Run<DivKernel>(a, b);
        return Graph.ShouldRecord(a, b) ? Graph.Record(c, new DivOp(a, b, c)) : c;
    }

    protected internal override void Backward(Tensor dc)
    {
        var q = dc.Div(b.Value);
        if (NeedsGrad(0)) AddGrad(0, q.SumToRaw(aShape));
        if (NeedsGrad(1)) AddGrad(1, q.Mul(c.Value).Neg().SumToRaw(bShape));
    }

    protected internal override void ReleaseSaved() => (b, c) = (default, default);
}
