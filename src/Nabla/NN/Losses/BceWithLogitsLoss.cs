using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Binary cross-entropy on logits, numerically stable (<c>nn.BCEWithLogitsLoss</c>);
/// see <see cref="Functional.BinaryCrossEntropyWithLogits"/>.</summary>
public sealed class BceWithLogitsLoss : Loss
{
    /// <summary>Per-element weights broadcast to the input (the "weight" buffer), or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>Weights of positive examples, usually [C] (the "pos_weight" buffer), or null.</summary>
    public Tensor? PosWeight { get; }

    /// <summary>Creates the loss with PyTorch's defaults.</summary>
    public BceWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null) : base(reduction)
    {
        Weight = weight is null ? null : RegisterBuffer("weight", weight);
        PosWeight = posWeight is null ? null : RegisterBuffer("pos_weight", posWeight);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.BinaryCrossEntropyWithLogits(input, target, Weight, Reduction, PosWeight);
}
