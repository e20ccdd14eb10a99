using Nabla.NN;
using TorchSharp;

namespace Nabla.Parity.Tests.NN;

/// <summary>The VAE's and the GAN's terms against the same formulas written with TorchSharp's ops, as PyTorch's VAE and
/// DCGAN examples write them.</summary>
public sealed class GenerativeLossParityTests
{
    [Fact]
    public void GaussianKlDivergence_MatchesTorchsVaeExample() =>
        Parity.Assert([[6, 4], [6, 4]],
            x => Functional.GaussianKlDivergence(x[0], x[1]),
            x => -0.5 * torch.sum(1 + x[1] - x[0].pow(2) - x[1].exp()));

    [Fact]
    public void GaussianKlDivergence_Mean_IsTheSumOverSamplesDividedByTheirCount() =>
        Parity.Assert([[6, 4], [6, 4]],
            x => Functional.GaussianKlDivergence(x[0], x[1], Reduction.Mean),
            x => -0.5 * torch.sum(1 + x[1] - x[0].pow(2) - x[1].exp()) / 6);

    [Fact]
    public void VaeLoss_MatchesTorchsVaeExample()
    {
        // Reconstructions in (0, 1) from a sigmoid, as the example's decoder makes them; targets are pixels in [0, 1].
        var target = Nabla.Tensors.Tensor.Rand([5, 12], generator: new Nabla.Tensors.Generator(3));
        using var t = TorchOracle.Tensor(target.ToArray<float>(), [5, 12]);
        Parity.Assert([[5, 12], [5, 3], [5, 3]],
            x => Functional.VaeLoss(x[0].Sigmoid(), target, x[1], x[2]).Loss,
            x => torch.nn.functional.binary_cross_entropy(x[0].sigmoid(), t, reduction: torch.nn.Reduction.Sum)
                 - 0.5 * torch.sum(1 + x[2] - x[1].pow(2) - x[2].exp()),
            tolerance: 1e-4);
    }

    [Fact]
    public void VaeLoss_WithLogitsAndBeta_MatchesTorch()
    {
        var target = Nabla.Tensors.Tensor.Rand([5, 12], generator: new Nabla.Tensors.Generator(4));
        using var t = TorchOracle.Tensor(target.ToArray<float>(), [5, 12]);
        Parity.Assert([[5, 12], [5, 3], [5, 3]],
            x => Functional.VaeLoss(x[0], target, x[1], x[2], beta: 4, ReconstructionLoss.BinaryCrossEntropyWithLogits, Reduction.Mean).Loss,
            x => (torch.nn.functional.binary_cross_entropy_with_logits(x[0], t, reduction: torch.nn.Reduction.Sum)
                  - 4 * 0.5 * torch.sum(1 + x[2] - x[1].pow(2) - x[2].exp())) / 5,
            tolerance: 1e-4);
    }

    [Fact]
    public void Reparameterize_MatchesTorchGivenTheSameNoise()
    {
        var epsilon = Nabla.Tensors.Tensor.Randn([4, 3], generator: new Nabla.Tensors.Generator(8));
        using var e = TorchOracle.Tensor(epsilon.ToArray<float>(), [4, 3]);
        Parity.Assert([[4, 3], [4, 3]],
            x => Functional.Reparameterize(x[0], x[1], new Nabla.Tensors.Generator(8)),
            x => x[0] + torch.exp(0.5 * x[1]) * e);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void GanDiscriminatorLoss_MatchesTorchsBceWithLogits(double smoothing) =>
        Parity.Assert([[8, 1], [8, 1]],
            x => Functional.GanDiscriminatorLoss(x[0], x[1], smoothing),
            x => torch.nn.functional.binary_cross_entropy_with_logits(x[0], torch.full([8, 1], 1 - smoothing))
                 + torch.nn.functional.binary_cross_entropy_with_logits(x[1], torch.zeros([8, 1])));

    [Fact]
    public void GanGeneratorLoss_MatchesTorchsBceWithLogits() =>
        Parity.Assert([[8, 1]],
            x => Functional.GanGeneratorLoss(x[0]),
            x => torch.nn.functional.binary_cross_entropy_with_logits(x[0], torch.ones([8, 1])));
}
