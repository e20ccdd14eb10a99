using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>The base of the loss modules (PyTorch's <c>_Loss</c>): a module whose forward takes the prediction and
/// the target and returns the loss under its <see cref="Reduction"/>.</summary>
public abstract class Loss : Module
{
    /// <summary>Stores the reduction every subclass applies.</summary>
    protected Loss(Reduction reduction) => Reduction = reduction;

    /// <summary>How per-element losses are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Runs <see cref="Forward"/> (PyTorch's <c>criterion(input, target)</c>).</summary>
    public Tensor Call(Tensor input, Tensor target) => Forward(input, target);

    /// <inheritdoc/>
    public override string Describe() => Reduction == Reduction.Mean ? $"{GetType().Name}()" : $"{GetType().Name}(reduction={Reduction})";
}
