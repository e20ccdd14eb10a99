using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Absolute error |x − y|, reduced (<c>nn.L1Loss</c>); see <see cref="Functional.L1Loss"/>.</summary>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}
