using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

/// <summary>The VAE's and the GAN's terms (Functional.Vae.cs, Functional.Gan.cs): values against element-by-element
/// references in double, and gradients against central differences.</summary>
public sealed class GenerativeLossTests
{
    private const double Tight = 1e-12;

    private static Tensor Randn(int seed, params int[] shape) => Tensor.Randn(shape, DType.Float64, new Generator(seed), requiresGrad: true);

    private static Tensor Uniform01(int seed, params int[] shape) => Tensor.Rand(shape, DType.Float64, new Generator(seed)).Mul(0.9).Add(0.05);

    public static TheoryData<Reduction> Reductions => [Reduction.None, Reduction.Mean, Reduction.Sum];

    // ---- Reparameterization ----

    [Fact]
    public void Reparameterize_IsMuPlusSigmaTimesTheGeneratorsNormals()
    {
        var mu = Randn(1, 3, 4);
        var logVar = Randn(2, 3, 4);
        var z = Functional.Reparameterize(mu, logVar, new Generator(5));
        var epsilon = Tensor.Randn([3, 4], DType.Float64, new Generator(5));
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(mu[i, j] + Math.Exp(0.5 * logVar[i, j]) * epsilon[i, j], z[i, j], Tight);
    }

    [Fact]
    public void Reparameterize_SameSeed_SameSample_AndDefaultGeneratorAdvances()
    {
        var mu = Tensor.Zeros([2, 3]);
        var logVar = Tensor.Zeros([2, 3]);
        Assert.True(Functional.Reparameterize(mu, logVar, new Generator(9)).AllClose(Functional.Reparameterize(mu, logVar, new Generator(9)), 0, 0));
        Generator.ManualSeed(4);
        var first = Functional.Reparameterize(mu, logVar);
        var second = Functional.Reparameterize(mu, logVar);
        Assert.False(first.AllClose(second));
        Generator.ManualSeed(4);
        Assert.True(first.AllClose(Functional.Reparameterize(mu, logVar), 0, 0));
    }

    [Fact]
    public void Reparameterize_Backward_MatchesFiniteDifferences() =>
        // A fresh generator per call: every evaluation of the function draws the same ε.
        GradCheck.Assert(x => Functional.Reparameterize(x[0], x[1], new Generator(3)), Randn(21, 4, 3), Randn(22, 4, 3));

    [Fact]
    public void Reparameterize_ThrowsForDifferentShapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Functional.Reparameterize(Tensor.Zeros([4, 3]), Tensor.Zeros([4, 2])));
        Assert.Equal("Reparameterize: μ [4, 3] and logσ² [4, 2] must have the same shape.", e.Message);
    }

    // ---- KL divergence to N(0, I) ----

    private static double[] ReferenceKl(Tensor mu, Tensor logVar)
    {
        int n = mu.Shape[0], d = mu.Shape[1];
        var kl = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double m = mu[i, j], v = logVar[i, j];
                kl[i] += -0.5 * (1 + v - m * m - Math.Exp(v));
            }
        return kl;
    }

    [Theory, MemberData(nameof(Reductions))]
    public void GaussianKlDivergence_MatchesThePerSampleSum(Reduction reduction)
    {
        var mu = Randn(31, 5, 3);
        var logVar = Randn(32, 5, 3);
        double[] expected = ReferenceKl(mu, logVar);
        var kl = Functional.GaussianKlDivergence(mu, logVar, reduction);
        switch (reduction)
        {
            case Reduction.None:
                Assert.Equal([5], kl.Shape);
                for (int i = 0; i < 5; i++) Assert.Equal(expected[i], kl[i], Tight);
                break;
            case Reduction.Sum:
                Assert.Equal(expected.Sum(), kl.Item(), Tight);
                break;
            default:
                Assert.Equal(expected.Sum() / 5, kl.Item(), Tight);   // per sample, not per element
                break;
        }
    }

    [Fact]
    public void GaussianKlDivergence_IsZeroForTheStandardNormal_AndKnownForOneDimension()
    {
        Assert.Equal(0, Functional.GaussianKlDivergence(Tensor.Zeros([3, 4], DType.Float64), Tensor.Zeros([3, 4], DType.Float64)).Item(), Tight);
        // KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − 1) − ln σ; μ = 2, σ² = 0.25: ½(0.25 + 4 − 1) + ln 2.
        var kl = Functional.GaussianKlDivergence(Tensor.FromArray<double>([2.0], [1]), Tensor.FromArray<double>([Math.Log(0.25)], [1]));
        Assert.Equal(0.5 * 3.25 + Math.Log(2), kl.Item(), Tight);
    }

    [Theory, MemberData(nameof(Reductions))]
    public void GaussianKlDivergence_Backward_MatchesFiniteDifferences(Reduction reduction) =>
        GradCheck.Assert(x => Functional.GaussianKlDivergence(x[0], x[1], reduction), Randn(41, 4, 3), Randn(42, 4, 3));

    [Fact]
    public void GaussianKlDivergence_GradientIsMuAndHalfOfSigmaSquaredMinusOne()
    {
        var mu = Randn(43, 2, 3);
        var logVar = Randn(44, 2, 3);
        Functional.GaussianKlDivergence(mu, logVar).Backward();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(mu[i, j], mu.Grad![i, j], Tight);
                Assert.Equal(0.5 * (Math.Exp(logVar[i, j]) - 1), logVar.Grad![i, j], Tight);
            }
    }

    [Fact]
    public void GaussianKlDivergence_ThrowsForThreeDimensions()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Functional.GaussianKlDivergence(Tensor.Zeros([2, 3, 4]), Tensor.Zeros([2, 3, 4])));
        Assert.Equal("GaussianKlDivergence: μ [2, 3, 4] must be [N, latent] or [latent].", e.Message);
    }

    // ---- VAE loss ----

    public static TheoryData<ReconstructionLoss, Reduction> LossKinds()
    {
        var data = new TheoryData<ReconstructionLoss, Reduction>();
        foreach (var kind in Enum.GetValues<ReconstructionLoss>())
            foreach (var reduction in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
                data.Add(kind, reduction);
        return data;
    }

    // −log p(x | x̂) per sample, summed over its values.
    private static double[] ReferenceReconstruction(Tensor input, Tensor target, ReconstructionLoss kind)
    {
        int n = input.Shape[0], m = input.NumEl / n;
        var x = input.Detach().Reshape([n, m]);
        var y = target.Reshape([n, m]);
        var rows = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double a = x[i, j], t = y[i, j];
                rows[i] += kind switch
                {
                    ReconstructionLoss.BinaryCrossEntropy => -(t * Math.Log(a) + (1 - t) * Math.Log(1 - a)),
                    ReconstructionLoss.BinaryCrossEntropyWithLogits => -(t * Math.Log(1 / (1 + Math.Exp(-a))) + (1 - t) * Math.Log(1 - 1 / (1 + Math.Exp(-a)))),
                    _ => (a - t) * (a - t),
                };
            }
        return rows;
    }

    private static Tensor Reconstruction(ReconstructionLoss kind, int seed, params int[] shape) =>
        kind == ReconstructionLoss.BinaryCrossEntropy ? Uniform01(seed, shape).RequiresGrad_() : Randn(seed, shape);

    [Theory, MemberData(nameof(LossKinds))]
    public void VaeLoss_IsReconstructionSummedPerSamplePlusBetaKl(ReconstructionLoss kind, Reduction reduction)
    {
        const double beta = 2.5;
        var input = Reconstruction(kind, 51, 3, 1, 2, 2);
        var target = Uniform01(52, 3, 1, 2, 2);
        var mu = Randn(53, 3, 2);
        var logVar = Randn(54, 3, 2);
        var terms = Functional.VaeLoss(input, target, mu, logVar, beta, kind, reduction);
        double[] recon = ReferenceReconstruction(input, target, kind), kl = ReferenceKl(mu, logVar);
        double Reduce(double[] v) => reduction == Reduction.Sum ? v.Sum() : v.Sum() / 3;
        if (reduction == Reduction.None)
        {
            Assert.Equal([3], terms.Loss.Shape);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(recon[i], terms.Reconstruction[i], 1e-10);
                Assert.Equal(kl[i], terms.Kl[i], Tight);
                Assert.Equal(recon[i] + beta * kl[i], terms.Loss[i], 1e-10);
            }
            return;
        }
        Assert.Equal(Reduce(recon), terms.Reconstruction.Item(), 1e-10);
        Assert.Equal(Reduce(kl), terms.Kl.Item(), Tight);
        Assert.Equal(Reduce(recon) + beta * Reduce(kl), terms.Loss.Item(), 1e-10);
    }

    [Theory, MemberData(nameof(LossKinds))]
    public void VaeLoss_Backward_MatchesFiniteDifferences(ReconstructionLoss kind, Reduction reduction)
    {
        var target = Uniform01(61, 2, 5);
        GradCheck.Assert(x => Functional.VaeLoss(x[0], target, x[1], x[2], beta: 0.7, kind, reduction).Loss,
            Reconstruction(kind, 62, 2, 5), Randn(63, 2, 3), Randn(64, 2, 3));
    }

    [Fact]
    public void VaeLoss_WithLogits_EqualsBceOfTheSigmoid()
    {
        var logits = Tensor.Randn([4, 6], DType.Float64, new Generator(71));
        var target = Uniform01(72, 4, 6);
        var mu = Tensor.Randn([4, 2], DType.Float64, new Generator(73));
        var logVar = Tensor.Randn([4, 2], DType.Float64, new Generator(74));
        double fromLogits = Functional.VaeLoss(logits, target, mu, logVar, reconstructionLoss: ReconstructionLoss.BinaryCrossEntropyWithLogits).Loss.Item();
        double fromProbabilities = Functional.VaeLoss(logits.Sigmoid(), target, mu, logVar).Loss.Item();
        Assert.Equal(fromProbabilities, fromLogits, 1e-9);
    }

    [Fact]
    public void VaeLoss_ThrowsForMismatchedBatchAndNegativeBeta()
    {
        var e = Assert.Throws<ShapeMismatchException>(() =>
            Functional.VaeLoss(Tensor.Zeros([4, 784]), Tensor.Zeros([4, 784]), Tensor.Zeros([3, 20]), Tensor.Zeros([3, 20])));
        Assert.Equal("VaeLoss: reconstruction [4, 784] must be [N, …] and μ [3, 20] [N, latent] for the same N.", e.Message);
        var s = Assert.Throws<ShapeMismatchException>(() =>
            Functional.VaeLoss(Tensor.Zeros([4, 784]), Tensor.Zeros([4, 1, 28, 28]), Tensor.Zeros([4, 20]), Tensor.Zeros([4, 20])));
        Assert.Equal("VaeLoss: reconstruction [4, 784] and target [4, 1, 28, 28] must have the same shape.", s.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Functional.VaeLoss(Tensor.Zeros([4, 2]), Tensor.Zeros([4, 2]), Tensor.Zeros([4, 2]), Tensor.Zeros([4, 2]), beta: -1));
    }

    // ---- GAN losses ----

    private static double LogSigmoid(double x) => -Math.Log(1 + Math.Exp(-x));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void GanDiscriminatorLoss_IsTheMeanBceOfRealAgainstOneMinusSmoothingAndFakeAgainstZero(double smoothing)
    {
        var real = Randn(81, 5, 1);
        var fake = Randn(82, 5, 1);
        double expected = 0;
        for (int i = 0; i < 5; i++)
        {
            double r = real[i, 0], f = fake[i, 0], t = 1 - smoothing;
            expected += -(t * LogSigmoid(r) + (1 - t) * LogSigmoid(-r)) / 5;   // log(1 − σ(x)) = log σ(−x)
            expected += -LogSigmoid(-f) / 5;
        }
        Assert.Equal(expected, Functional.GanDiscriminatorLoss(real, fake, smoothing).Item(), Tight);
    }

    [Fact]
    public void GanGeneratorLoss_IsMinusTheMeanLogSigmoid()
    {
        var fake = Randn(83, 6, 1);
        double expected = 0;
        for (int i = 0; i < 6; i++) expected -= LogSigmoid(fake[i, 0]) / 6;
        Assert.Equal(expected, Functional.GanGeneratorLoss(fake).Item(), Tight);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void GanDiscriminatorLoss_Backward_MatchesFiniteDifferences(double smoothing) =>
        GradCheck.Assert(x => Functional.GanDiscriminatorLoss(x[0], x[1], smoothing), Randn(84, 4, 1), Randn(85, 3, 1));

    [Fact]
    public void GanGeneratorLoss_Backward_MatchesFiniteDifferences() =>
        GradCheck.Assert(x => Functional.GanGeneratorLoss(x[0]), Randn(86, 5, 1));

    [Fact]
    public void GanDiscriminatorLoss_RefusesSmoothingOutsideZeroToOne()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.GanDiscriminatorLoss(Tensor.Zeros([2, 1]), Tensor.Zeros([2, 1]), 1.0));
        Assert.StartsWith("GanDiscriminatorLoss: label smoothing must be in [0, 1) (the real target is 1 − s); got 1.", e.Message);
    }
}
