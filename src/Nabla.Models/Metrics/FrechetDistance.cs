using System.Globalization;
using Nabla.Tensors;

namespace Nabla.Models.Metrics;

/// <summary>The Fréchet (2-Wasserstein) distance between two Gaussians fitted to feature sets:
/// d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2·(Σ₁^½ Σ₂ Σ₁^½)^½), the measure behind FID (Heusel et al., "GANs Trained by a Two
/// Time-Scale Update Rule Converge to a Local Nash Equilibrium", 2017).</summary>
/// <remarks>
/// The matrix square roots are exact, through symmetric eigendecompositions in float64 (<see cref="Linalg.Eigh"/>):
/// Σ₁^½ = V·diag(√λ)·Vᵀ from Σ₁ = V·diag(λ)·Vᵀ, then Tr((Σ₁^½ Σ₂ Σ₁^½)^½) = Σₖ √νₖ over the eigenvalues ν of the
/// symmetric positive semi-definite Σ₁^½ Σ₂ Σ₁^½, which has the eigenvalues of Σ₁Σ₂ (the product whose square root
/// pytorch-fid takes with scipy's <c>sqrtm</c>). Eigenvalues that round below zero are taken as zero. FID proper uses
/// Inception-v3 features; <see cref="Cnn.PenultimateFeatures"/> gives an MNIST analogue.
/// </remarks>
public static class FrechetDistance
{
    /// <summary>d² between the Gaussians fitted to the rows of <paramref name="features1"/> [N₁, D] and <paramref name="features2"/> [N₂, D].</summary>
    public static double Compute(Tensor features1, Tensor features2) =>
        Compute(GaussianStatistics.FromFeatures(features1), GaussianStatistics.FromFeatures(features2));

    /// <summary>d² between N(μ₁, Σ₁) and N(μ₂, Σ₂).</summary>
    /// <exception cref="ArgumentException">The dimensions differ.</exception>
    public static double Compute(GaussianStatistics a, GaussianStatistics b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int d = a.Mean.Shape[0];
        if (b.Mean.Shape[0] != d || a.Covariance.Shape[0] != d || b.Covariance.Shape[0] != d)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"FrechetDistance: the feature dimensions differ ({d} and {b.Mean.Shape[0]}); both sets need features of one size."));
        using var _ = Tensor.NoGrad();
        var sigma1 = a.Covariance.To(DType.Float64);
        var sigma2 = b.Covariance.To(DType.Float64);
        var difference = a.Mean.To(DType.Float64).Sub(b.Mean.To(DType.Float64));
        double meanTerm = difference.Mul(difference).Sum().Item();

        var root1 = SymmetricSqrt(sigma1);                              // Σ₁^½
        var product = Symmetrize(root1.MatMul(sigma2).MatMul(root1));   // Σ₁^½ Σ₂ Σ₁^½, PSD
        var (nu, _) = Linalg.Eigh(product);
        double traceRoot = 0;
        foreach (double v in nu.ToArray<double>()) traceRoot += Math.Sqrt(Math.Max(v, 0));

        double distance = meanTerm + Trace(sigma1) + Trace(sigma2) - 2 * traceRoot;
        return Math.Max(distance, 0);   // a rounding residue of identical sets may be −1e-13
    }

    /// <summary>S with S·S = A for symmetric positive semi-definite A [D, D]: V·diag(√max(λ, 0))·Vᵀ.</summary>
    public static Tensor SymmetricSqrt(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var _ = Tensor.NoGrad();
        var (lambda, v) = Linalg.Eigh(Symmetrize(a.To(DType.Float64)));
        var roots = lambda.Clamp(min: 0).Sqrt();     // [D]
        return v.Mul(roots).MatMul(v.T);                                // V·diag(√λ)·Vᵀ: column k of V scaled by √λₖ
    }

    // (A + Aᵀ)/2: rounding leaves products of symmetric matrices slightly asymmetric, and eigh reads one triangle.
    private static Tensor Symmetrize(Tensor a) => a.Add(a.T).Mul(0.5);

    private static double Trace(Tensor a)
    {
        double sum = 0;
        int d = a.Shape[0];
        for (int i = 0; i < d; i++) sum += a[i, i];
        return sum;
    }
}
