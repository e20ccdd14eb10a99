using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = z̄.  dz = conj(dy).</summary>
internal sealed class ConjOp(Tensor z) : Node(z)
{
    public static Tensor Apply(Tensor z)
    {
        if (z.DType != DType.Complex64) return CloneOp.Apply(z, z.DType, "Conj");   // the conjugate of a real tensor is itself
        var y = ComplexDriver.Map(z, v => v.Conjugate());
        return Graph.ShouldRecord(z) ? Graph.Record(y, new ConjOp(z)) : y;
    }

    protected internal override void Backward(Tensor dy) => AddGrad(0, ComplexDriver.Map(dy, v => v.Conjugate()));
}
