using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>c = aᵇ element-wise, broadcasting.  da = Σ_bcast dc·b·aᵇ⁻¹,  db = Σ_bcast dc·c·ln a.</summary>
internal sealed class PowOp : Node
{
    private SavedTensor a, b, c;
    private readonly int[] aShape, bShape;

    private PowOp(Tensor a, Tensor b, Tensor c) : base(a, b)
    {
        (this.a, this.b) = (Save(a), Save(b));
        if (b.RequiresGrad) this.c = Save(c);
        (aShape, bShape) = (a.shape, b.shape);
    }

    public static Tensor Apply(Tensor a, Tensor b)
    {
        var c = BinaryDriver.Run<PowKernel>(a, b);
        return Graph.ShouldRecord(a, b) ? Graph.Record(c, new PowOp(a, b, c)) : c;
    }

    protected internal override void Backward(Tensor dc)
    {
        var av = a.Value;
        var bv = b.Value;
        if (NeedsGrad(0)) AddGrad(0, dc.Mul(bv).Mul(av.Pow(bv.Sub(Tensor.Scalar(1, bv.DType)))).SumToRaw(aShape));
        if (NeedsGrad(1)) AddGrad(1, dc.Mul(c.Value).Mul(av.Log()).SumToRaw(bShape));
    }

    protected internal override void ReleaseSaved() => (a, b, c) = (default, default, default);
}
