using System.Globalization;
using Nabla.Tensors;

namespace Nabla.Models.Metrics;

/// <summary>The mean and covariance of a set of feature vectors, in float64: the Gaussian that a Fréchet distance
/// compares.</summary>
/// <param name="Mean">μ = (1/N)·Σᵢ xᵢ, [D] float64.</param>
/// <param name="Covariance">Σ = (1/(N − 1))·Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ, [D, D] float64 (unbiased, as <c>numpy.cov</c>).</param>
/// <param name="Count">N, the number of feature vectors.</param>
public sealed record GaussianStatistics(Tensor Mean, Tensor Covariance, int Count)
{
    /// <summary>The statistics of the rows of <paramref name="features"/> [N, D] (any floating dtype; computed in float64).</summary>
    /// <exception cref="ArgumentException">The features are not 2-d with at least two rows.</exception>
    public static GaussianStatistics FromFeatures(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Dim != 2 || features.Shape[0] < 2)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"GaussianStatistics.FromFeatures: features [{string.Join(", ", features.Shape)}] must be [N, D] with N ≥ 2 (a covariance needs two samples)."), nameof(features));
        using var _ = Tensor.NoGrad();
        int n = features.Shape[0];
        var x = features.To(DType.Float64);          // [N, D]
        var mean = x.Mean(0);                         // [D]
        var centered = x.Sub(mean);                   // [N, D]
        var covariance = centered.T.MatMul(centered).Div(n - 1);   // [D, D]
        return new GaussianStatistics(mean, covariance, n);
    }
}
