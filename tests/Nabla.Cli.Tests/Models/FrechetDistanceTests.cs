using Nabla.Models.Metrics;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Models;

/// <summary>The Fréchet distance against its closed forms: identical sets, diagonal covariances, one dimension, and a
/// pair of non-commuting covariances where d² must not depend on the order.</summary>
public sealed class FrechetDistanceTests
{
    private static GaussianStatistics Gaussian(double[] mean, double[,] covariance)
    {
        int d = mean.Length;
        var c = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) c[i * d + j] = covariance[i, j];
        return new GaussianStatistics(Tensor.FromArray<double>(mean, [d]), Tensor.FromArray<double>(c, [d, d]), 1000);
    }

    [Fact]
    public void IdenticalFeatureSets_AreAtDistanceZero()
    {
        var features = Tensor.Randn([500, 16], generator: new Generator(1)).Mul(3).Add(1);
        Assert.Equal(0, FrechetDistance.Compute(features, features), 1e-9);
    }

    [Fact]
    public void DiagonalCovariances_GiveTheSumOfSquaredDifferencesOfMeansAndStandardDeviations()
    {
        // d² = ‖μ₁ − μ₂‖² + Σᵢ (σ₁ᵢ − σ₂ᵢ)² when both covariances are diagonal.
        double[] m1 = [0, 1, -2, 0.5], m2 = [1, 1, 0, -0.5], v1 = [1, 4, 0.25, 9], v2 = [4, 1, 1, 9];
        var c1 = new double[4, 4];
        var c2 = new double[4, 4];
        for (int i = 0; i < 4; i++) (c1[i, i], c2[i, i]) = (v1[i], v2[i]);
        double expected = 0;
        for (int i = 0; i < 4; i++) expected += (m1[i] - m2[i]) * (m1[i] - m2[i]) + Math.Pow(Math.Sqrt(v1[i]) - Math.Sqrt(v2[i]), 2);
        Assert.Equal(expected, FrechetDistance.Compute(Gaussian(m1, c1), Gaussian(m2, c2)), 1e-10);
    }

    [Fact]
    public void NonCommutingCovariances_MatchTheTwoByTwoClosedFormInEitherOrder()
    {
        // For 2×2 SPD A, B: Tr((A^½ B A^½)^½) = √(Tr(AB) + 2√det(AB)) (the square root of a 2×2 matrix M with
        // eigenvalues λ₁, λ₂ has trace √λ₁ + √λ₂, and (√λ₁ + √λ₂)² = Tr M + 2√det M).
        var a = new double[,] { { 2, 1 }, { 1, 2 } };
        var b = new double[,] { { 1, 0 }, { 0, 3 } };
        double trAB = a[0, 0] * b[0, 0] + a[0, 1] * b[1, 0] + a[1, 0] * b[0, 1] + a[1, 1] * b[1, 1];
        double detAB = (a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]) * (b[0, 0] * b[1, 1] - b[0, 1] * b[1, 0]);
        double traceRoot = Math.Sqrt(trAB + 2 * Math.Sqrt(detAB));
        double expected = 1 * 1 + 2 * 2 + (4 + 4) - 2 * traceRoot;   // means (0, 0) and (1, −2)
        var p = Gaussian([0, 0], a);
        var q = Gaussian([1, -2], b);
        Assert.Equal(expected, FrechetDistance.Compute(p, q), 1e-10);
        Assert.Equal(expected, FrechetDistance.Compute(q, p), 1e-10);
    }

    [Fact]
    public void SymmetricSqrt_SquaresBackToTheMatrix()
    {
        var x = Tensor.Randn([40, 6], DType.Float64, new Generator(2));
        var spd = x.T.MatMul(x).Div(40);
        var root = FrechetDistance.SymmetricSqrt(spd);
        Assert.True(root.MatMul(root).AllClose(spd, 1e-10, 1e-10));
        Assert.True(root.AllClose(root.T, 0, 1e-12));
    }

    [Fact]
    public void GaussianStatistics_AreTheMeanAndTheUnbiasedCovarianceInFloat64()
    {
        var features = Tensor.FromArray<float>([1, 2, 3, 6, 5, 10], [3, 2]);
        var s = GaussianStatistics.FromFeatures(features);
        Assert.Equal(DType.Float64, s.Covariance.DType);
        Assert.Equal([3.0, 6.0], s.Mean.ToArray<double>());
        // Column 0: 1, 3, 5 (variance 4); column 1: 2, 6, 10 (variance 16); covariance 8.
        Assert.Equal([4.0, 8.0, 8.0, 16.0], s.Covariance.ToArray<double>());
        Assert.Equal(3, s.Count);
        Assert.Throws<ArgumentException>(() => GaussianStatistics.FromFeatures(Tensor.Zeros([1, 4])));
    }

    [Fact]
    public void ShiftedSamplesOfOneGaussian_ApproachTheShiftSquared()
    {
        // Two large samples of N(0, I) and N(δ, I) in 8 dimensions: d² → ‖δ‖² = 8·0.25 = 2 as the samples grow.
        var a = Tensor.Randn([20_000, 8], DType.Float64, new Generator(3));
        var b = Tensor.Randn([20_000, 8], DType.Float64, new Generator(4)).Add(0.5);
        Assert.InRange(FrechetDistance.Compute(a, b), 1.95, 2.06);
    }
}
