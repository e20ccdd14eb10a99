using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Squared error (x − y)², reduced (<c>nn.MSELoss</c>); see <see cref="Functional.MseLoss"/>.</summary>
public sealed class MseLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}
