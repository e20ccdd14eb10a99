using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>c = a + b, broadcasting.  da = Σ_bcast dc,  db = Σ_bcast dc.</summary>
internal sealed class AddOp(Tensor a, Tensor b) : Node(a, b)
{
    private readonly int[] aShape = a.shape, bShape = b.shape;

    public static Tensor Apply(Tensor a, Tensor b)
    {
        var c = BinaryDriver.Run<AddKernel>(a, b);
        return Graph.ShouldRecord(a, b) ? Graph.Record(c, new AddOp(a, b)) : c;
    }

    protected internal override void Backward(Tensor dc)
    {
        if (NeedsGrad(0)) AddGrad(0, dc.SumToRaw(aShape));
        if (NeedsGrad(1)) AddGrad(1, dc.SumToRaw(bShape));
    }
}
