using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Huber loss: ½d² where |d| &lt; δ, else δ·(|d| − ½δ) (<c>nn.HuberLoss</c>); see <see cref="Functional.HuberLoss"/>.</summary>
public sealed class HuberLoss : Loss
{
    /// <summary>The threshold δ &gt; 0 between the quadratic and linear parts.</summary>
    public double Delta { get; }

    /// <summary>Creates the loss with PyTorch's defaults.</summary>
    public HuberLoss(Reduction reduction = Reduction.Mean, double delta = 1.0) : base(reduction)
    {
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, $"HuberLoss: delta must be positive; got {delta}.");
        Delta = delta;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, Delta);
}
