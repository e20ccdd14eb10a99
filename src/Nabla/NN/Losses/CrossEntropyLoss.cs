using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Cross-entropy of logits against class indices or class probabilities (<c>nn.CrossEntropyLoss</c>);
/// see <see cref="Functional.CrossEntropy"/> for the formula, shapes, weights, ignoreIndex and label smoothing.</summary>
public sealed class CrossEntropyLoss : Loss
{
    /// <summary>Class weights [C] (the "weight" buffer), or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The target value whose samples are skipped.</summary>
    public int IgnoreIndex { get; }

    /// <summary>The label smoothing ε in [0, 1].</summary>
    public double LabelSmoothing { get; }

    /// <summary>Creates the loss with PyTorch's defaults.</summary>
    public CrossEntropyLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0)
        : base(reduction)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"CrossEntropyLoss: labelSmoothing must be between 0.0 and 1.0; got {labelSmoothing}.");
        Weight = weight is null ? null : RegisterBuffer("weight", weight);
        (IgnoreIndex, LabelSmoothing) = (ignoreIndex, labelSmoothing);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.CrossEntropy(input, target, Weight, IgnoreIndex, Reduction, LabelSmoothing);
}
