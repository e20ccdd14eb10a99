using Nabla.Autograd.Ops;

namespace Nabla.Tensors;

// Complex64 tensors: construction from parts, the parts, and conversions (torch.complex, .real, .imag, view_as_real, …).
// Add, Sub, Mul, Div and Abs accept complex operands too (Tensor.Math.cs). Gradients follow PyTorch's convention for a
// real loss L: the gradient of a complex tensor z is ∂L/∂Re z + i·∂L/∂Im z.
public partial class Tensor
{
    /// <summary>re + i·im as complex64 (<c>torch.complex</c>), broadcasting; float64 parts are rounded to float32.</summary>
    public static Tensor Complex(Tensor real, Tensor imaginary) => ComplexFromPartsOp.Apply(real, imaginary);

    /// <summary>r·e^{iθ} as complex64 (<c>torch.polar</c>), broadcasting.</summary>
    public static Tensor Polar(Tensor magnitude, Tensor angle) => PolarOp.Apply(magnitude, angle);

    /// <summary>Re z as float32 (<c>tensor.real</c>, here a copy).</summary>
    public Tensor Real() => ComplexPartOp.Apply(this, imaginary: false);

    /// <summary>Im z as float32 (<c>tensor.imag</c>, here a copy).</summary>
    public Tensor Imag() => ComplexPartOp.Apply(this, imaginary: true);

    /// <summary>arg z = atan2(Im z, Re z) in (−π, π], float32 (<c>torch.angle</c>).</summary>
    public Tensor Angle() => ComplexAngleOp.Apply(this);

    /// <summary>The complex conjugate re − i·im (<c>torch.conj</c>); a real tensor's is a copy of itself.</summary>
    public Tensor Conj() => ConjOp.Apply(this);

    /// <summary>A float32 tensor [..., 2] of (re, im) pairs (<c>torch.view_as_real</c>; a copy, since .NET cannot alias a
    /// complex array as a float one).</summary>
    public Tensor ViewAsReal() => ViewAsRealOp.Apply(this);

    /// <summary>The complex64 tensor [...] of a float32 tensor [..., 2] of (re, im) pairs (<c>torch.view_as_complex</c>, a copy).</summary>
    public Tensor ViewAsComplex() => ViewAsComplexOp.Apply(this);

    private bool IsComplexPair(Tensor other) => DType == DType.Complex64 || other.DType == DType.Complex64;
}
