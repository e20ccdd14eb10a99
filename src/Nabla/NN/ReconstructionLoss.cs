namespace Nabla.NN;

/// <summary>How <see cref="Functional.VaeLoss"/> scores a reconstruction against its target: the decoder's
/// likelihood −log p(x | z), per value.</summary>
public enum ReconstructionLoss
{
    /// <summary>Bernoulli likelihood of probabilities in [0, 1] (a sigmoid output): <see cref="Functional.BinaryCrossEntropy"/>.</summary>
    BinaryCrossEntropy,

    /// <summary>The same Bernoulli likelihood from the logits before the sigmoid, stable where it saturates:
    /// <see cref="Functional.BinaryCrossEntropyWithLogits"/>.</summary>
    BinaryCrossEntropyWithLogits,

    /// <summary>Squared error (x̂ − x)²: a Gaussian likelihood of fixed variance, up to scale and a constant
    /// (<see cref="Functional.MseLoss"/>).</summary>
    SquaredError,
}
