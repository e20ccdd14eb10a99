using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Negative log-likelihood of log-probabilities at class indices (<c>nn.NLLLoss</c>);
/// see <see cref="Functional.NllLoss"/>.</summary>
public sealed class NllLoss : Loss
{
    /// <summary>Class weights [C] (the "weight" buffer), or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The target value whose samples are skipped.</summary>
    public int IgnoreIndex { get; }

    /// <summary>Creates the loss with PyTorch's defaults.</summary>
    public NllLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        Weight = weight is null ? null : RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Weight, IgnoreIndex, Reduction);
}
