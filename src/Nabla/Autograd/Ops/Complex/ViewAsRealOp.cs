using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y[..., 0] = Re z, y[..., 1] = Im z (torch.view_as_real, as a copy).  dz = dy[..., 0] + i·dy[..., 1].</summary>
internal sealed class ViewAsRealOp(Tensor z) : Node(z)
{
    public static Tensor Apply(Tensor z)
    {
        if (z.DType != DType.Complex64) Throw.DType("ViewAsReal", z.DType, "complex64");
        var y = ComplexDriver.ToPairs(z);
        return Graph.ShouldRecord(z) ? Graph.Record(y, new ViewAsRealOp(z)) : y;
    }

    protected internal override void Backward(Tensor dy) => AddGrad(0, ComplexDriver.FromPairs(dy));
}
