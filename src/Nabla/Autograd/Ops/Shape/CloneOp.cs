using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = a contiguous copy of x, optionally converted to another floating or complex dtype (Clone, Contiguous, To).
/// dx = dy (converted back to x's dtype; Re dy for a real x made complex).</summary>
internal sealed class CloneOp(Tensor x, string name) : Node(x)
{
    private readonly DType xType = x.DType;

    public override string Name => name;

    public static Tensor Apply(Tensor x, DType dtype, string name)
    {
        var y = dtype == x.DType ? x.CloneRaw() : x.ToRaw(dtype);
        bool differentiable = dtype.IsFloatingPoint() || dtype.IsComplex();
        return differentiable && Graph.ShouldRecord(x) ? Graph.Record(y, new CloneOp(x, name)) : y;
    }

    // A real tensor converted to complex64 receives the real part of the complex gradient.
    protected internal override void Backward(Tensor dy) =>
        AddGrad(0, dy.DType == xType ? dy : dy.DType == DType.Complex64 ? ComplexDriver.Part(dy, imaginary: false).ToRaw(xType) : dy.ToRaw(xType));
}
