using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Adaptive max pooling layer (<c>nn.AdaptiveMaxPool2d</c>): [N, C, H, W] or [C, H, W] → [..., outH, outW].
/// See <see cref="Functional.AdaptiveMaxPool2d"/>.</summary>
/// <remarks><see cref="ForwardWithIndices"/> is PyTorch's <c>return_indices=True</c>.</remarks>
public sealed class AdaptiveMaxPool2d(Size2 outputSize) : Module<Tensor, Tensor>
{
    /// <summary>The output's (H, W).</summary>
    public Size2 OutputSize { get; } = outputSize;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveMaxPool2d(input, OutputSize);

    /// <summary>The pooled output and the flat index h·W + w of each maximum in its input plane.</summary>
    public MaxPoolOutput ForwardWithIndices(Tensor input) => Functional.AdaptiveMaxPool2dWithIndices(input, OutputSize);

    /// <inheritdoc/>
    public override string Describe() => $"AdaptiveMaxPool2d(output_size={OutputSize})";
}
