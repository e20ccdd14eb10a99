using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

// Pooling (torch.nn.functional.max_pool1d/2d, avg_pool1d/2d, adaptive_avg_pool2d, adaptive_max_pool2d).
public static partial class Functional
{
    /// <summary>2-D max pooling of [N, C, H, W] or [C, H, W]: each output is the maximum of its kH×kW window, padding
    /// counted as −∞ (<c>F.max_pool2d</c>).</summary>
    /// <remarks>Stride defaults to the kernel size. Output size ⌊(H + 2p − d·(k − 1) − 1)/s⌋ + 1 (rounded up with
    /// <paramref name="ceilMode"/>, keeping the last window starting inside the input or its left padding). Padding must
    /// be at most half the kernel. The gradient goes to the first maximum of each window, as in PyTorch.</remarks>
    public static Tensor MaxPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return MaxPool2dCore(input, kernelSize, stride, padding, dilation, ceilMode, withIndices: false).Output;
    }

    /// <summary><see cref="MaxPool2d"/> that also returns the flat index h·W + w of each maximum in its input plane
    /// (<c>F.max_pool2d_with_indices</c>, or <c>return_indices=True</c>).</summary>
    public static MaxPoolOutput MaxPool2dWithIndices(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (y, indices) = MaxPool2dCore(input, kernelSize, stride, padding, dilation, ceilMode, withIndices: true);
        return new MaxPoolOutput(y, indices!);   // computed: withIndices is true
    }

    private static (Tensor Output, Tensor? Indices) MaxPool2dCore(Tensor input, Size2 kernel, Size2? stride, Size2? padding, Size2? dilation, bool ceilMode, bool withIndices)
    {
        Size2 s = stride ?? kernel, p = padding ?? 0, d = dilation ?? 1;
        return MaxPool2dOp.Apply(input, (kernel.H, kernel.W), (s.H, s.W), (p.H, p.W), (d.H, d.W), ceilMode, withIndices);
    }

    /// <summary>1-D max pooling of [N, C, L] or [C, L] (<c>F.max_pool1d</c>); stride defaults to the kernel size.</summary>
    public static Tensor MaxPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool1dCore(input, kernelSize, stride, padding, dilation, ceilMode, withIndices: false).Output;

    /// <summary><see cref="MaxPool1d"/> that also returns the index l of each maximum along L (<c>F.max_pool1d_with_indices</c>).</summary>
    public static MaxPoolOutput MaxPool1dWithIndices(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        var (y, indices) = MaxPool1dCore(input, kernelSize, stride, padding, dilation, ceilMode, withIndices: true);
        return new MaxPoolOutput(y, indices!);   // computed: withIndices is true
    }

    /// <summary>A 1-D pooling is the 2-D one over planes of height 1: [N, C, L] → [N, C, 1, L]; indices h·L + l = l.</summary>
    private static (Tensor Output, Tensor? Indices) MaxPool1dCore(Tensor input, int kernel, int? stride, int padding, int dilation, bool ceilMode, bool withIndices)
    {
        Check1dInput("MaxPool1d", input);
        var (y, indices) = MaxPool2dOp.Apply(input.Unsqueeze(-2), (1, kernel), (1, stride ?? kernel), (0, padding), (1, dilation), ceilMode, withIndices, "MaxPool1d");
        return (y.Squeeze(-2), indices?.Squeeze(-2));
    }

    /// <summary>2-D average pooling of [N, C, H, W] or [C, H, W] (<c>F.avg_pool2d</c>): the mean of each window.</summary>
    /// <remarks>Stride defaults to the kernel size. The divisor is <paramref name="divisorOverride"/> when given, else
    /// the window size including zero padding (<paramref name="countIncludePad"/>, the default) or only the elements
    /// inside the input. Output size as <see cref="MaxPool2d"/> without dilation.</remarks>
    public static Tensor AvgPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool ceilMode = false,
        bool countIncludePad = true, int? divisorOverride = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        Size2 s = stride ?? kernelSize, p = padding ?? 0;
        return AvgPool2dOp.Apply(input, (kernelSize.H, kernelSize.W), (s.H, s.W), (p.H, p.W), ceilMode, countIncludePad, divisorOverride);
    }

    /// <summary>1-D average pooling of [N, C, L] or [C, L] (<c>F.avg_pool1d</c>); stride defaults to the kernel size.</summary>
    public static Tensor AvgPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        Check1dInput("AvgPool1d", input);
        return AvgPool2dOp.Apply(input.Unsqueeze(-2), (1, kernelSize), (1, stride ?? kernelSize), (0, padding), ceilMode, countIncludePad, null, "AvgPool1d").Squeeze(-2);
    }

    /// <summary>Adaptive average pooling of [N, C, H, W] or [C, H, W] to <paramref name="outputSize"/>
    /// (<c>F.adaptive_avg_pool2d</c>): output (i, j) averages rows [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉) and the matching columns.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, Size2 outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveAvgPool2dOp.Apply(input, (outputSize.H, outputSize.W));
    }

    /// <summary>Adaptive max pooling of [N, C, H, W] or [C, H, W] to <paramref name="outputSize"/>, with PyTorch's bins
    /// (<c>F.adaptive_max_pool2d</c>).</summary>
    public static Tensor AdaptiveMaxPool2d(Tensor input, Size2 outputSize) => AdaptiveMaxPool2dWithIndices(input, outputSize).Output;

    /// <summary><see cref="AdaptiveMaxPool2d"/> with the flat index h·W + w of each maximum (<c>return_indices=True</c>).</summary>
    public static MaxPoolOutput AdaptiveMaxPool2dWithIndices(Tensor input, Size2 outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (y, indices) = AdaptiveMaxPool2dOp.Apply(input, (outputSize.H, outputSize.W));
        return new MaxPoolOutput(y, indices);
    }

    private static void Check1dInput(string op, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (2 or 3))
            throw new ShapeMismatchException(op, "[N, C, L] or [C, L]", ShapeUtil.Format(input.ShapeSpan),
                $"{op}: input must be 3-D [N, C, L] or 2-D [C, L]; got {ShapeUtil.Format(input.ShapeSpan)}.");
    }
}
