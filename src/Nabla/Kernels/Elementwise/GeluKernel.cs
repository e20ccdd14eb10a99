using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels.Elementwise;

/// <summary>GELU and its derivative in float32, eight elements at a time.</summary>
/// <remarks>
/// Exact GELU is y = x·Φ(x), Φ(x) = ½·erfc(−x/√2). With a = |x|/√2, erfc(a) is taken from Abramowitz and Stegun
/// 7.1.26, erfc(a) ≈ t·(a₁ + t·(a₂ + t·(a₃ + t·(a₄ + t·a₅))))·e^(−a²) with t = 1/(1 + p·a), whose absolute error is
/// below 1.5·10⁻⁷ for every a ≥ 0; then Φ = 1 − ½erfc(a) for x ≥ 0 and ½erfc(a) for x &lt; 0, which avoids the
/// cancellation of 1 + erf(x/√2) for negative x. dy/dx = Φ(x) + x·φ(x) with φ(x) = e^(−x²/2)/√(2π) = e^(−a²)/√(2π).
/// The "tanh" approximation ½(1 + tanh u), u = √(2/π)(x + 0.044715x³), equals the logistic σ(2u) exactly, which is
/// computed as 1/(1 + e^(−2u)): no cancellation near 0 and no overflow for large |u|. Its derivative is
/// σ + x·σ(1 − σ)·2u′ with u′ = √(2/π)(1 + 3·0.044715x²).
/// The scalar per-element path (a double erf series, <see cref="SpecialFunctions.Erf"/>) ran 10–18× slower than ReLU.
/// </remarks>
internal static class GeluKernel
{
    private const float InvSqrt2 = 0.70710678118654752440f;
    private const float InvSqrt2Pi = 0.39894228040143267794f;
    private const float Sqrt2OverPi = 0.79788456080286535588f;
    private const float Cubic = 0.044715f;

    // Abramowitz and Stegun 7.1.26.
    private const float P = 0.3275911f;
    private const float A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    /// <summary>Whether the vector path runs.</summary>
    public static bool IsSupported => KernelOptions.SimdEnabled && Vector256.IsHardwareAccelerated;

    /// <summary>y = GELU(x) for the first multiple of eight elements; returns how many it did (the caller does the rest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Forward(ReadOnlySpan<float> x, Span<float> y, bool tanhApprox)
    {
        if (!IsSupported) return 0;
        int i = 0;
        for (; i + 8 <= x.Length; i += 8)
        {
            var v = Vector256.Create(x.Slice(i, 8));
            var cdf = tanhApprox ? Logistic(v).Sigma : Normal(v).Cdf;
            (v * cdf).CopyTo(y.Slice(i, 8));
        }
        return i;
    }

    /// <summary>dx = dy·GELU′(x) for the first multiple of eight elements; returns how many it did.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool tanhApprox)
    {
        if (!IsSupported) return 0;
        int i = 0;
        for (; i + 8 <= x.Length; i += 8)
        {
            var v = Vector256.Create(x.Slice(i, 8));
            Vector256<float> slope;
            if (tanhApprox)
            {
                var (sigma, complement, du) = Logistic(v);
                slope = sigma + v * sigma * complement * (du + du);
            }
            else
            {
                var (cdf, pdf) = Normal(v);
                slope = cdf + v * pdf;
            }
            (Vector256.Create(dy.Slice(i, 8)) * slope).CopyTo(dx.Slice(i, 8));
        }
        return i;
    }

    /// <summary>Φ(x) and φ(x) of the standard normal distribution.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Cdf, Vector256<float> Pdf) Normal(Vector256<float> x)
    {
        var a = Vector256.Abs(x) * Vector256.Create(InvSqrt2);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(P) * a);
        var poly = Vector256.Create(A5);
        poly = poly * t + Vector256.Create(A4);
        poly = poly * t + Vector256.Create(A3);
        poly = poly * t + Vector256.Create(A2);
        poly = poly * t + Vector256.Create(A1);
        var gauss = Vector256.Exp(-(a * a));
        var halfTail = Vector256.Create(0.5f) * poly * t * gauss;   // ½·erfc(a) = Φ(−|x|)
        var cdf = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256<float>.One - halfTail, halfTail);
        return (cdf, gauss * Vector256.Create(InvSqrt2Pi));
    }

    /// <summary>σ(2u) with u = √(2/π)(x + 0.044715x³), 1 − σ(2u) = e^(−2u)·σ(2u) (not 1 − σ, which cancels where σ
    /// nears 1), and u′.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Sigma, Vector256<float> Complement, Vector256<float> Du) Logistic(Vector256<float> x)
    {
        var x2 = x * x;
        var u = Vector256.Create(Sqrt2OverPi) * (x + Vector256.Create(Cubic) * x2 * x);
        var e = Vector256.Exp(-(u + u));
        var sigma = Vector256<float>.One / (Vector256<float>.One + e);
        var du = Vector256.Create(Sqrt2OverPi) * (Vector256<float>.One + Vector256.Create(3 * Cubic) * x2);
        // e·σ is NaN where e overflows (σ = 0); 1 − σ is exact there.
        var complement = Vector256.ConditionalSelect(Vector256.Equals(sigma, Vector256<float>.Zero), Vector256<float>.One, e * sigma);
        return (sigma, complement, du);
    }
}
