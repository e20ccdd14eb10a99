using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Binary cross-entropy of probabilities (<c>nn.BCELoss</c>); see <see cref="Functional.BinaryCrossEntropy"/>.</summary>
public sealed class BceLoss : Loss
{
    /// <summary>Per-element weights broadcast to the input (the "weight" buffer), or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Creates the loss with PyTorch's defaults.</summary>
    public BceLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : base(reduction) =>
        Weight = weight is null ? null : RegisterBuffer("weight", weight);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Weight, Reduction);
}
