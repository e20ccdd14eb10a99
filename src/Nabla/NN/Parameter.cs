using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>A tensor that is a learnable parameter of a <see cref="Module"/>: a leaf that requires grad
/// (<c>torch.nn.Parameter</c>). It shares storage with the tensor it was made from.</summary>
public sealed class Parameter : Tensor
{
    /// <summary>Makes a parameter over <paramref name="data"/>'s storage.</summary>
    public Parameter(Tensor data, bool requiresGrad = true) : base(data.Storage, data.shape, data.strides, data.Offset)
    {
        RequiresGrad = requiresGrad;
    }
}
