using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

// Convolutions (torch.nn.functional.conv1d / conv2d / conv_transpose2d).
public static partial class Functional
{
    /// <summary>2-D convolution (cross-correlation) of x [N, C, H, W] with weight [out, C/groups, kH, kW] (<c>F.conv2d</c>).</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, ConvPadding? padding = null,
        Size2? dilation = null, int groups = 1)
    {
        Size2 s = stride ?? 1, d = dilation ?? 1;
        var kernel = weight.Dim == 4 ? new Size2(weight.Shape[2], weight.Shape[3]) : new Size2(1, 1);
        var pad = (padding ?? 0).Resolve("Conv2d", kernel, d, s);
        return Conv2dOp.Apply(input, weight, bias, (s.H, s.W), pad, (d.H, d.W), groups);
    }

    /// <summary>1-D convolution of x [N, C, L] with weight [out, C/groups, k] (<c>F.conv1d</c>), computed as a 2-D
    /// convolution over a height of 1.</summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, ConvPadding? padding = null, int dilation = 1, int groups = 1)
    {
        if (input.Dim != 3) throw new ShapeMismatchException("Conv1d", "[N, C, L]", ShapeUtil.Format(input.ShapeSpan), $"Conv1d: input must be 3-D [N, C, L]; got {ShapeUtil.Format(input.ShapeSpan)}.");
        if (weight.Dim != 3) throw new ShapeMismatchException("Conv1d", "[out, in/groups, k]", ShapeUtil.Format(weight.ShapeSpan), $"Conv1d: weight must be 3-D [out_channels, in_channels/groups, k]; got {ShapeUtil.Format(weight.ShapeSpan)}.");
        var p = padding ?? 0;
        var pad = p.Resolve("Conv1d", new Size2(1, weight.Shape[2]), new Size2(1, dilation), new Size2(1, stride));
        var y = Conv2dOp.Apply(input.Unsqueeze(2), weight.Unsqueeze(2), bias, (1, stride), (0, pad.Left, 0, pad.Right), (1, dilation), groups, "Conv1d");
        return y.Squeeze(2);
    }

    /// <summary>2-D transposed convolution of x [N, C, H, W] with weight [C, out/groups, kH, kW] (<c>F.conv_transpose2d</c>).</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, Size2? padding = null,
        Size2? outputPadding = null, int groups = 1, Size2? dilation = null)
    {
        Size2 s = stride ?? 1, p = padding ?? 0, op = outputPadding ?? 0, d = dilation ?? 1;
        return ConvTranspose2dOp.Apply(input, weight, bias, (s.H, s.W), (p.H, p.W), (op.H, op.W), (d.H, d.W), groups);
    }
}
