using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Smooth L1: ½d²/β where |d| &lt; β, else |d| − ½β (<c>nn.SmoothL1Loss</c>); see <see cref="Functional.SmoothL1Loss"/>.</summary>
public sealed class SmoothL1Loss : Loss
{
    /// <summary>The threshold β ≥ 0 between the quadratic and linear parts.</summary>
    public double Beta { get; }

    /// <summary>Creates the loss with PyTorch's defaults.</summary>
    public SmoothL1Loss(Reduction reduction = Reduction.Mean, double beta = 1.0) : base(reduction)
    {
        if (!(beta >= 0)) throw new ArgumentOutOfRangeException(nameof(beta), beta, $"SmoothL1Loss: beta must be non-negative; got {beta}.");
        Beta = beta;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, Beta);
}
