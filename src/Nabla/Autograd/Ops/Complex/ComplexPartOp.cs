using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = Re z or Im z (float32).  dz = dy (real) or i·dy (imaginary).</summary>
internal sealed class ComplexPartOp(Tensor z, bool imaginary) : Node(z)
{
    public override string Name => imaginary ? "Imag" : "Real";

    public static Tensor Apply(Tensor z, bool imaginary)
    {
        if (z.DType != DType.Complex64) Throw.DType(imaginary ? "Imag" : "Real", z.DType, "complex64");
        var y = ComplexDriver.Part(z, imaginary);
        return Graph.ShouldRecord(z) ? Graph.Record(y, new ComplexPartOp(z, imaginary)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var zero = Tensor.Zeros(dy.ShapeSpan);
        AddGrad(0, imaginary ? ComplexDriver.FromParts(zero, dy) : ComplexDriver.FromParts(dy, zero));
    }
}
