using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>1-D max pooling layer (<c>nn.MaxPool1d</c>): [N, C, L] or [C, L] → the maximum of each window.
/// See <see cref="Functional.MaxPool1d"/>.</summary>
/// <remarks>Stride defaults to the kernel size; <see cref="ForwardWithIndices"/> is PyTorch's <c>return_indices=True</c>.</remarks>
public sealed class MaxPool1d : Module<Tensor, Tensor>
{
    /// <summary>Window size.</summary>
    public int KernelSize { get; }
    /// <summary>Window step (the kernel size unless given).</summary>
    public int Stride { get; }
    /// <summary>Implicit −∞ padding on each side; at most half the kernel.</summary>
    public int Padding { get; }
    /// <summary>Spacing between window elements.</summary>
    public int Dilation { get; }
    /// <summary>Round the output size up instead of down.</summary>
    public bool CeilMode { get; }

    /// <summary>Creates the layer (PyTorch's argument order and defaults).</summary>
    public MaxPool1d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        (KernelSize, Stride, Padding, Dilation, CeilMode) = (kernelSize, stride ?? kernelSize, padding, dilation, ceilMode);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool1d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <summary>The pooled output and the index along L of each maximum.</summary>
    public MaxPoolOutput ForwardWithIndices(Tensor input) => Functional.MaxPool1dWithIndices(input, KernelSize, Stride, Padding, Dilation, CeilMode);

    /// <inheritdoc/>
    public override string Describe() =>
        $"MaxPool1d(kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={(CeilMode ? "True" : "False")})";
}
