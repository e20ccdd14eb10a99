using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>2-D max pooling layer (<c>nn.MaxPool2d</c>): [N, C, H, W] or [C, H, W] → the maximum of each window.
/// See <see cref="Functional.MaxPool2d"/>.</summary>
/// <remarks>Stride defaults to the kernel size. PyTorch's <c>return_indices=True</c> is <see cref="ForwardWithIndices"/>
/// here, since <see cref="Forward"/> returns one tensor.</remarks>
public sealed class MaxPool2d : Module<Tensor, Tensor>
{
    /// <summary>Window size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>Window step (the kernel size unless given).</summary>
    public Size2 Stride { get; }
    /// <summary>Implicit −∞ padding on each side; at most half the kernel.</summary>
    public Size2 Padding { get; }
    /// <summary>Spacing between window elements.</summary>
    public Size2 Dilation { get; }
    /// <summary>Round the output size up instead of down.</summary>
    public bool CeilMode { get; }

    /// <summary>Creates the layer (PyTorch's argument order and defaults).</summary>
    public MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceilMode = false) =>
        (KernelSize, Stride, Padding, Dilation, CeilMode) = (kernelSize, stride ?? kernelSize, padding ?? 0, dilation ?? 1, ceilMode);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <summary>The pooled output and the flat index h·W + w of each maximum in its input plane.</summary>
    public MaxPoolOutput ForwardWithIndices(Tensor input) => Functional.MaxPool2dWithIndices(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <inheritdoc/>
    public override string Describe() =>
        $"MaxPool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={(CeilMode ? "True" : "False")})";
}
