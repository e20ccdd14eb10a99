using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Adaptive average pooling layer (<c>nn.AdaptiveAvgPool2d</c>): [N, C, H, W] or [C, H, W] → [..., outH, outW]
/// whatever H and W are. See <see cref="Functional.AdaptiveAvgPool2d"/>.</summary>
/// <remarks><c>AdaptiveAvgPool2d(1)</c> is global average pooling.</remarks>
public sealed class AdaptiveAvgPool2d(Size2 outputSize) : Module<Tensor, Tensor>
{
    /// <summary>The output's (H, W).</summary>
    public Size2 OutputSize { get; } = outputSize;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize);

    /// <inheritdoc/>
    public override string Describe() => $"AdaptiveAvgPool2d(output_size={OutputSize})";
}
