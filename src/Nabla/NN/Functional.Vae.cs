using Nabla.Tensors;

namespace Nabla.NN;

// The variational autoencoder's terms (Kingma & Welling, "Auto-Encoding Variational Bayes", 2014): sampling a latent
// by reparameterization, the KL divergence of the encoder's Gaussian from the prior, and the negative ELBO. Each is a
// composition of differentiable tensor ops, so its gradient comes from theirs; docs/generative.md derives them.
public static partial class Functional
{
    /// <summary>Draws z = μ + σ·ε with σ = exp(½·logσ²) and ε ~ N(0, I): a sample of N(μ, diag σ²) that is a
    /// differentiable function of μ and logσ² (the reparameterization trick).</summary>
    /// <remarks>
    /// <paramref name="mu"/> and <paramref name="logVar"/> have the same shape, usually [N, latent], and the same floating
    /// dtype; ε is drawn from <paramref name="generator"/> (<see cref="Generator.Default"/> if null), so a seed reproduces
    /// z. ∂z/∂μ = 1 and ∂z/∂logσ² = ½·σ·ε. PyTorch has no function for it; its VAE example writes
    /// <c>mu + torch.randn_like(std) * std</c> with <c>std = torch.exp(0.5 * logvar)</c>.
    /// </remarks>
    /// <exception cref="ShapeMismatchException">The shapes differ.</exception>
    public static Tensor Reparameterize(Tensor mu, Tensor logVar, Generator? generator = null)
    {
        CheckGaussian("Reparameterize", mu, logVar);
        var epsilon = Tensor.Randn(mu.ShapeSpan, mu.DType, generator);
        return mu.Add(logVar.Mul(0.5).Exp().Mul(epsilon));
    }

    /// <summary>KL divergence of N(μ, diag σ²) from the standard normal prior, per sample:
    /// KL = −½·Σⱼ (1 + logσ²ⱼ − μⱼ² − σ²ⱼ), summed over the last dimension.</summary>
    /// <remarks>
    /// <para><paramref name="mu"/> and <paramref name="logVar"/>: [N, latent] (or [latent], one sample), same shape and dtype.
    /// <see cref="Reduction.None"/> returns the KL of each sample [N]; <see cref="Reduction.Sum"/> their sum (PyTorch's VAE
    /// example: <c>-0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())</c>); <see cref="Reduction.Mean"/> their mean over
    /// the N samples (the KL per sample, like <c>kl_div</c>'s <c>'batchmean'</c>), not over the N·latent elements.</para>
    /// <para>∂KL/∂μ = μ and ∂KL/∂logσ² = ½·(σ² − 1) per element, so the term pulls each posterior toward N(0, 1).</para>
    /// </remarks>
    /// <exception cref="ShapeMismatchException">The shapes differ or are not 1-d or 2-d.</exception>
    public static Tensor GaussianKlDivergence(Tensor mu, Tensor logVar, Reduction reduction = Reduction.Sum)
    {
        CheckGaussian("GaussianKlDivergence", mu, logVar);
        if (mu.Dim is not (1 or 2))
            Throw.Shape("GaussianKlDivergence", "[N, latent] or [latent]", ShapeUtil.Format(mu.ShapeSpan),
                $"GaussianKlDivergence: μ {ShapeUtil.Format(mu.ShapeSpan)} must be [N, latent] or [latent].");
        // −½·(1 + logσ² − μ² − σ²), element by element, then summed over the latent dimensions of each sample.
        var terms = logVar.Add(1).Sub(mu.Mul(mu)).Sub(logVar.Exp()).Mul(-0.5);
        var perSample = terms.Sum(-1);
        return ReduceSamples("GaussianKlDivergence", perSample, reduction);
    }

    /// <summary>The β-VAE loss: the reconstruction term plus β times the KL term, per sample
    /// ℓₙ = −log p(xₙ | zₙ) + β·KL(q(z | xₙ) ‖ N(0, I)), the negative ELBO when β = 1.</summary>
    /// <remarks>
    /// <para><paramref name="reconstruction"/> and <paramref name="target"/>: [N, …] of the same shape (images [N, C, H, W] or
    /// [N, features]); <paramref name="mu"/> and <paramref name="logVar"/>: [N, latent]. The reconstruction term of a sample
    /// is summed over all its values (pixels), so for binarized-or-grayscale images in [0, 1] with
    /// <see cref="ReconstructionLoss.BinaryCrossEntropy"/> it is −log p(x | z) in nats under independent Bernoulli pixels.</para>
    /// <para><see cref="Reduction.Sum"/> (the default, as PyTorch's VAE example) sums over the batch; <see cref="Reduction.Mean"/>
    /// divides by N: the loss per image, the figure papers report; <see cref="Reduction.None"/> gives each sample's terms [N].
    /// β = 1 is the VAE; β &gt; 1 weights the prior more (Higgins et al., "β-VAE", 2017).</para>
    /// </remarks>
    /// <exception cref="ShapeMismatchException">Shapes disagree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">β is negative or not finite.</exception>
    public static VaeLossTerms VaeLoss(Tensor reconstruction, Tensor target, Tensor mu, Tensor logVar, double beta = 1,
        ReconstructionLoss reconstructionLoss = ReconstructionLoss.BinaryCrossEntropy, Reduction reduction = Reduction.Sum)
    {
        ArgumentNullException.ThrowIfNull(reconstruction);
        ArgumentNullException.ThrowIfNull(target);
        if (!(beta >= 0 && double.IsFinite(beta)))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, $"VaeLoss: beta must be a finite number ≥ 0; got {beta}.");
        if (!reconstruction.ShapeSpan.SequenceEqual(target.ShapeSpan))
            Throw.Shape("VaeLoss", ShapeUtil.Format(target.ShapeSpan), ShapeUtil.Format(reconstruction.ShapeSpan),
                $"VaeLoss: reconstruction {ShapeUtil.Format(reconstruction.ShapeSpan)} and target {ShapeUtil.Format(target.ShapeSpan)} must have the same shape.");
        CheckGaussian("VaeLoss", mu, logVar);
        if (reconstruction.Dim < 2 || mu.Dim != 2 || mu.shape[0] != reconstruction.shape[0])
            Throw.Shape("VaeLoss", $"[{(reconstruction.Dim > 0 ? reconstruction.shape[0] : 0)}, latent]", ShapeUtil.Format(mu.ShapeSpan),
                $"VaeLoss: reconstruction {ShapeUtil.Format(reconstruction.ShapeSpan)} must be [N, …] and μ {ShapeUtil.Format(mu.ShapeSpan)} [N, latent] for the same N.");

        var kl = GaussianKlDivergence(mu, logVar, reduction);
        Tensor recon;
        if (reduction == Reduction.None)
        {
            // Per-element losses [N, …], summed over each sample's values → [N].
            var elements = ReconstructionTerm(reconstruction, target, reconstructionLoss, Reduction.None);
            recon = elements.Reshape([elements.shape[0], -1]).Sum(1);
        }
        else
        {
            recon = ReconstructionTerm(reconstruction, target, reconstructionLoss, Reduction.Sum);
            if (reduction == Reduction.Mean) recon = recon.Div(reconstruction.shape[0]);
        }
        var loss = beta == 1 ? recon.Add(kl) : recon.Add(kl.Mul(beta));
        return new VaeLossTerms(loss, recon, kl);
    }

    private static Tensor ReconstructionTerm(Tensor reconstruction, Tensor target, ReconstructionLoss kind, Reduction reduction) => kind switch
    {
        ReconstructionLoss.BinaryCrossEntropy => BinaryCrossEntropy(reconstruction, target, reduction: reduction),
        ReconstructionLoss.BinaryCrossEntropyWithLogits => BinaryCrossEntropyWithLogits(reconstruction, target, reduction: reduction),
        ReconstructionLoss.SquaredError => MseLoss(reconstruction, target, reduction),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"VaeLoss: reconstruction loss {(int)kind} is not BinaryCrossEntropy, BinaryCrossEntropyWithLogits or SquaredError."),
    };

    // [N] per-sample values (or [] for one sample) → [N], their sum, or their mean over samples.
    private static Tensor ReduceSamples(string op, Tensor perSample, Reduction reduction) => reduction switch
    {
        Reduction.None => perSample,
        Reduction.Sum => perSample.Sum(),
        Reduction.Mean => perSample.Mean(),
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{op}: reduction {(int)reduction} is not None, Mean or Sum."),
    };

    private static void CheckGaussian(string op, Tensor mu, Tensor logVar)
    {
        ArgumentNullException.ThrowIfNull(mu);
        ArgumentNullException.ThrowIfNull(logVar);
        if (!mu.ShapeSpan.SequenceEqual(logVar.ShapeSpan))
            Throw.Shape(op, ShapeUtil.Format(mu.ShapeSpan), ShapeUtil.Format(logVar.ShapeSpan),
                $"{op}: μ {ShapeUtil.Format(mu.ShapeSpan)} and logσ² {ShapeUtil.Format(logVar.ShapeSpan)} must have the same shape.");
        if (!mu.DType.IsFloatingPoint() || mu.DType != logVar.DType)
            Throw.Argument($"{op}: μ ({mu.DType.TorchName()}) and logσ² ({logVar.DType.TorchName()}) must share one floating dtype.");
    }
}
