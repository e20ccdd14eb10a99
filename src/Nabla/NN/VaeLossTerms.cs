using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>The terms of <see cref="Functional.VaeLoss"/>: Loss = Reconstruction + β·Kl, each reduced alike.</summary>
/// <param name="Loss">What to minimize: the negative ELBO when β = 1 (scalar, or [N] with <see cref="Reduction.None"/>).</param>
/// <param name="Reconstruction">−log p(x | z) summed over each sample's values: the reconstruction term.</param>
/// <param name="Kl">KL(q(z | x) ‖ N(0, I)) of each sample: the regularization term, before the β weight.</param>
public sealed record VaeLossTerms(Tensor Loss, Tensor Reconstruction, Tensor Kl);
