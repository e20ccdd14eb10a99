using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = arg z = atan2(Im z, Re z) (float32).  ∂y/∂Re z = −Im z/|z|², ∂y/∂Im z = Re z/|z|², so dz = dy·(−Im z + i·Re z)/|z|²
/// (0 where z = 0).</summary>
internal sealed class ComplexAngleOp : Node
{
    private SavedTensor z;

    private ComplexAngleOp(Tensor z) : base(z) => this.z = Save(z);

    public override string Name => "Angle";

    public static Tensor Apply(Tensor z)
    {
        if (z.DType != DType.Complex64) Throw.DType("Angle", z.DType, "complex64");
        var y = ComplexDriver.MapToReal(z, v => v.Phase);
        return Graph.ShouldRecord(z) ? Graph.Record(y, new ComplexAngleOp(z)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var direction = ComplexDriver.Map(z.Value, v =>
        {
            float r2 = v.Real * v.Real + v.Imaginary * v.Imaginary;
            return r2 == 0 ? default : new Complex64(-v.Imaginary / r2, v.Real / r2);
        });
        AddGrad(0, ComplexDriver.Binary("Angle backward", direction, dy, ComplexDriver.Operation.Mul));
    }

    protected internal override void ReleaseSaved() => z = default;
}
