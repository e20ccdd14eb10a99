using System.Globalization;

namespace Nabla.Tensors;

/// <summary>A complex number of two float32 parts, the element of a <see cref="DType.Complex64"/> tensor
/// (<c>torch.complex64</c>, laid out as (real, imaginary) like C's <c>float complex</c>).</summary>
/// <param name="Real">The real part.</param>
/// <param name="Imaginary">The imaginary part.</param>
public readonly record struct Complex64(float Real, float Imaginary)
{
    /// <summary>|z| = √(re² + im²), computed without overflow.</summary>
    public float Magnitude => (float)Math.Sqrt((double)Real * Real + (double)Imaginary * Imaginary);

    /// <summary>arg z = atan2(im, re), in (−π, π].</summary>
    public float Phase => MathF.Atan2(Imaginary, Real);

    /// <summary>z̄ = re − i·im.</summary>
    public Complex64 Conjugate() => new(Real, -Imaginary);

    /// <summary>r·e^{iθ} = r·cos θ + i·r·sin θ.</summary>
    public static Complex64 FromPolar(float magnitude, float phase) => new(magnitude * MathF.Cos(phase), magnitude * MathF.Sin(phase));

    /// <summary>The sum.</summary>
    public static Complex64 operator +(Complex64 a, Complex64 b) => new(a.Real + b.Real, a.Imaginary + b.Imaginary);

    /// <summary>The difference.</summary>
    public static Complex64 operator -(Complex64 a, Complex64 b) => new(a.Real - b.Real, a.Imaginary - b.Imaginary);

    /// <summary>The negation.</summary>
    public static Complex64 operator -(Complex64 a) => new(-a.Real, -a.Imaginary);

    /// <summary>(a + ib)(c + id) = (ac − bd) + i(ad + bc).</summary>
    public static Complex64 operator *(Complex64 a, Complex64 b) =>
        new(a.Real * b.Real - a.Imaginary * b.Imaginary, a.Real * b.Imaginary + a.Imaginary * b.Real);

    /// <summary>a/b = a·b̄ / |b|².</summary>
    public static Complex64 operator /(Complex64 a, Complex64 b)
    {
        double d = (double)b.Real * b.Real + (double)b.Imaginary * b.Imaginary;
        return new((float)((a.Real * (double)b.Real + a.Imaginary * (double)b.Imaginary) / d),
            (float)((a.Imaginary * (double)b.Real - a.Real * (double)b.Imaginary) / d));
    }

    /// <summary>Scales both parts.</summary>
    public static Complex64 operator *(Complex64 a, float s) => new(a.Real * s, a.Imaginary * s);

    /// <summary>A real number as a complex one.</summary>
    public static implicit operator Complex64(float real) => new(real, 0);

    /// <summary>Adds (operator alternative for languages without operators).</summary>
    public static Complex64 Add(Complex64 a, Complex64 b) => a + b;

    /// <summary>Subtracts.</summary>
    public static Complex64 Subtract(Complex64 a, Complex64 b) => a - b;

    /// <summary>Negates.</summary>
    public static Complex64 Negate(Complex64 a) => -a;

    /// <summary>Multiplies.</summary>
    public static Complex64 Multiply(Complex64 a, Complex64 b) => a * b;

    /// <summary>Divides.</summary>
    public static Complex64 Divide(Complex64 a, Complex64 b) => a / b;

    /// <summary>Converts a real number.</summary>
    public static Complex64 FromSingle(float real) => real;

    /// <summary>PyTorch's format: "1.5000+2.0000j".</summary>
    public override string ToString() => Format("0.0000");

    internal string Format(string number) =>
        Real.ToString(number, CultureInfo.InvariantCulture) + (Imaginary < 0 || float.IsNegative(Imaginary) ? "-" : "+")
        + Math.Abs(Imaginary).ToString(number, CultureInfo.InvariantCulture) + "j";
}
