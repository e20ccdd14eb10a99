using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>What a <see cref="Vae"/>'s forward pass returns: the decoder's logits for the input, the encoder's Gaussian
/// q(z | x) = N(μ, diag σ²) and the latent sample decoded.</summary>
/// <param name="Logits">The decoder's output before the sigmoid, [N, C, H, W]; σ(Logits) is the reconstruction.</param>
/// <param name="Mu">The posterior means μ [N, latent].</param>
/// <param name="LogVar">The posterior log-variances logσ² [N, latent].</param>
/// <param name="Z">The sample z = μ + σ·ε [N, latent] that was decoded.</param>
public sealed record VaeOutput(Tensor Logits, Tensor Mu, Tensor LogVar, Tensor Z)
{
    /// <summary>The reconstruction σ(Logits) in [0, 1], [N, C, H, W] (computed on each access).</summary>
    public Tensor Reconstruction => Logits.Sigmoid();
}
