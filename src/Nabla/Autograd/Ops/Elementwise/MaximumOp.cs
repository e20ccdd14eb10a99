using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>c = max(a, b) or min(a, b) element-wise, broadcasting. The gradient goes to the selected operand;
/// on ties it is split in half between both, as PyTorch does.</summary>
internal sealed class MaximumOp : Node
{
    private SavedTensor a, b;
    private readonly int[] aShape, bShape;
    private readonly bool isMax;

    private MaximumOp(Tensor a, Tensor b, bool isMax) : base(a, b)
    {
        (this.a, this.b) = (Save(a), Save(b));
        (aShape, bShape, this.isMax) = (a.shape, b.shape, isMax);
    }

    public override string Name => isMax ? "Maximum" : "Minimum";

    public static Tensor Apply(Tensor a, Tensor b, bool isMax)
    {
        var c = isMax ? BinaryDriver.Run<MaxKernel>(a, b) : BinaryDriver.Run<MinKernel>(a, b);
        return Graph.ShouldRecord(a, b) ? Graph.Record(c, new MaximumOp(a, b, isMax)) : c;
    }

    protected internal override void Backward(Tensor dc)
    {
        var av = a.Value;
        var bv = b.Value;
        // weight for a: 1 where a wins, ½ on ties, 0 where b wins.
        var wins = isMax ? av.Gt(bv) : av.Lt(bv);
        var wa = wins.To(dc.DType).Add(av.Eq(bv).To(dc.DType).Mul(0.5));
        if (NeedsGrad(0)) AddGrad(0, dc.Mul(wa).SumToRaw(aShape));
        if (NeedsGrad(1)) AddGrad(1, dc.Mul(wa.RSub(1)).SumToRaw(bShape));
    }

    protected internal override void ReleaseSaved() => (a, b) = (default, default);
}
