using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>GELU: y = x·Φ(x) with Φ the standard normal CDF, Φ(x) = ½(1 + erf(x/√2)).
/// dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π). With approximate "tanh":
/// y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))), as <c>torch.nn.functional.gelu</c>. Float32 runs eight at a time in
/// <see cref="GeluKernel"/> (to about 10⁻⁷); float64 and the tail use the double-precision formulas here.</summary>
internal sealed class GeluOp(Tensor x, Tensor y, bool tanhApprox) : UnaryOp(x, y)
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;
    private const double Sqrt2OverPi = 0.79788456080286535588;
    private const double Coeff = 0.044715;

    public static Tensor Apply(Tensor x, bool tanhApprox) => Run("Gelu", x,
        (a, b) => { for (int i = GeluKernel.Forward(a, b, tanhApprox); i < b.Length; i++) b[i] = (float)Value(a[i], tanhApprox); },
        (a, b) => { for (int i = 0; i < b.Length; i++) b[i] = Value(a[i], tanhApprox); },
        (a, b) => new GeluOp(a, b, tanhApprox));

    private static double Value(double x, bool approx)
    {
        if (approx) return 0.5 * x * (1 + Math.Tanh(Sqrt2OverPi * (x + Coeff * x * x * x)));
        return 0.5 * x * (1 + SpecialFunctions.Erf(x * InvSqrt2));
    }

    private static double Derivative(double x, bool approx)
    {
        if (approx)
        {
            double u = Sqrt2OverPi * (x + Coeff * x * x * x);
            double t = Math.Tanh(u);
            double du = Sqrt2OverPi * (1 + 3 * Coeff * x * x);
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du;
        }
        return 0.5 * (1 + SpecialFunctions.Erf(x * InvSqrt2)) + x * InvSqrt2Pi * Math.Exp(-0.5 * x * x);
    }

    protected override bool SavesOutput => false;
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = GeluKernel.Backward(x, dy, dx, tanhApprox); i < dx.Length; i++) dx[i] = dy[i] * (float)Derivative(x[i], tanhApprox);
    }
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * Derivative(x[i], tanhApprox); }
}
