using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>2-D average pooling layer (<c>nn.AvgPool2d</c>): [N, C, H, W] or [C, H, W] → the mean of each window.
/// See <see cref="Functional.AvgPool2d"/>.</summary>
/// <remarks>Stride defaults to the kernel size; zero padding counts in the divisor unless
/// <see cref="CountIncludePad"/> is false; <see cref="DivisorOverride"/> replaces the divisor.</remarks>
public sealed class AvgPool2d : Module<Tensor, Tensor>
{
    /// <summary>Window size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>Window step (the kernel size unless given).</summary>
    public Size2 Stride { get; }
    /// <summary>Implicit zero padding on each side; at most half the kernel.</summary>
    public Size2 Padding { get; }
    /// <summary>Round the output size up instead of down.</summary>
    public bool CeilMode { get; }
    /// <summary>Whether padded positions count in the divisor.</summary>
    public bool CountIncludePad { get; }
    /// <summary>A fixed divisor, or null for the window size.</summary>
    public int? DivisorOverride { get; }

    /// <summary>Creates the layer (PyTorch's argument order and defaults).</summary>
    public AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null) =>
        (KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride) = (kernelSize, stride ?? kernelSize, padding ?? 0, ceilMode, countIncludePad, divisorOverride);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride);

    /// <inheritdoc/>
    public override string Describe() => $"AvgPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}
