using Nabla.Tensors;

namespace Nabla.NN;

// The adversarial losses of a GAN whose discriminator outputs logits (Goodfellow et al., "Generative Adversarial Nets",
// 2014; Radford et al., "DCGAN", 2016), each a mean binary cross-entropy computed from the logits.
public static partial class Functional
{
    /// <summary>The discriminator's loss L_D = BCE(D(x), 1 − s) + BCE(D(G(z)), 0): the mean binary cross-entropy of
    /// calling real images real and generated ones fake, with one-sided label smoothing s.</summary>
    /// <remarks>
    /// <paramref name="realLogits"/> and <paramref name="fakeLogits"/> are D's logits (before the sigmoid) on a real and a
    /// generated batch, any shapes ([N, 1] usually) of one floating dtype; each term is the mean over its batch
    /// (<see cref="BinaryCrossEntropyWithLogits"/>), so L_D = −mean log σ(D(x)) − mean log(1 − σ(D(G(z)))) for s = 0,
    /// the sum of the two losses PyTorch's DCGAN example backpropagates. Label smoothing s ∈ [0, 1) sets the real
    /// target to 1 − s (0.1 → 0.9) and leaves the fake target at 0 (Salimans et al., "Improved Techniques for Training
    /// GANs", 2016), so D is not rewarded for over-confidence. Detach the generated batch to train D alone.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">s is outside [0, 1).</exception>
    public static Tensor GanDiscriminatorLoss(Tensor realLogits, Tensor fakeLogits, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(realLogits);
        ArgumentNullException.ThrowIfNull(fakeLogits);
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing,
                $"GanDiscriminatorLoss: label smoothing must be in [0, 1) (the real target is 1 − s); got {labelSmoothing}.");
        var real = BinaryCrossEntropyWithLogits(realLogits, Tensor.Full(realLogits.ShapeSpan, 1 - labelSmoothing, realLogits.DType));
        var fake = BinaryCrossEntropyWithLogits(fakeLogits, Tensor.Zeros(fakeLogits.ShapeSpan, fakeLogits.DType));
        return real.Add(fake);
    }

    /// <summary>The generator's non-saturating loss L_G = BCE(D(G(z)), 1) = −mean log σ(D(G(z))).</summary>
    /// <remarks>
    /// <paramref name="fakeLogits"/>: D's logits on a generated batch, with the graph through G kept. Minimizing
    /// −log D(G(z)) instead of log(1 − D(G(z))) gives G strong gradients early, when D rejects its samples easily
    /// (Goodfellow et al., 2014, section 3); the targets are the real label 1, unsmoothed.
    /// </remarks>
    public static Tensor GanGeneratorLoss(Tensor fakeLogits)
    {
        ArgumentNullException.ThrowIfNull(fakeLogits);
        return BinaryCrossEntropyWithLogits(fakeLogits, Tensor.Ones(fakeLogits.ShapeSpan, fakeLogits.DType));
    }
}
