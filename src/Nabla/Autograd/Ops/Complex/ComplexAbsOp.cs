using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = |z| (float32).  dz = dy·z/|z|, and 0 where z = 0 (PyTorch's sgn(0) = 0).</summary>
internal sealed class ComplexAbsOp : Node
{
    private SavedTensor z;

    private ComplexAbsOp(Tensor z) : base(z) => this.z = Save(z);

    public override string Name => "Abs";

    public static Tensor Apply(Tensor z)
    {
        var y = ComplexDriver.MapToReal(z, v => v.Magnitude);
        return Graph.ShouldRecord(z) ? Graph.Record(y, new ComplexAbsOp(z)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var sign = ComplexDriver.Map(z.Value, v => v.Magnitude == 0 ? default : v * (1 / v.Magnitude));
        AddGrad(0, ComplexDriver.Binary("Abs backward", sign, dy, ComplexDriver.Operation.Mul));
    }

    protected internal override void ReleaseSaved() => z = default;
}
