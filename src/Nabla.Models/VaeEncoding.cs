using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>The encoder's Gaussian q(z | x) = N(μ, diag exp(logσ²)) for a batch.</summary>
/// <param name="Mu">Means μ [N, latent].</param>
/// <param name="LogVar">Log-variances logσ² [N, latent].</param>
public sealed record VaeEncoding(Tensor Mu, Tensor LogVar);
