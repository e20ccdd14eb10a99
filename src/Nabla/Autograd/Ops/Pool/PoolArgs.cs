using System.Globalization;
using Nabla.Kernels.Pool;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Validation and shape arithmetic shared by the 2-D pooling ops: inputs are [N, C, H, W] or unbatched
/// [C, H, W], read as P = N·C (or C) planes of H×W.</summary>
internal static class PoolArgs
{
    /// <summary>Checks a pooling input: 3-D or 4-D, floating point, with non-empty H and W.</summary>
    public static void CheckInput(string op, Tensor x)
    {
        if (x.Dim is not (3 or 4))
            Throw.Shape(op, "[N, C, H, W] or [C, H, W]", ShapeUtil.Format(x.shape),
                $"{op}: input must be 4-D [N, C, H, W] or 3-D [C, H, W]; got {ShapeUtil.Format(x.shape)}.");
        if (!x.DType.IsFloatingPoint()) Throw.DType(op, x.DType, "float32 or float64");
        if (x.shape[^1] == 0 || x.shape[^2] == 0)
            Throw.Shape(op, "non-empty H and W", ShapeUtil.Format(x.shape), $"{op}: input {ShapeUtil.Format(x.shape)} has an empty spatial dimension.");
    }

    /// <summary>Number of H×W planes: N·C, or C for an unbatched input.</summary>
    public static int Planes(Tensor x) => x.Dim == 4 ? x.shape[0] * x.shape[1] : x.shape[0];

    /// <summary>The input's shape with its last two dimensions replaced by (outH, outW).</summary>
    public static int[] OutputShape(Tensor x, int outH, int outW)
    {
        var s = (int[])x.shape.Clone();
        (s[^2], s[^1]) = (outH, outW);
        return s;
    }

    /// <summary>Validates a windowed pooling (max or average) and resolves its geometry.</summary>
    public static PoolGeometry Geometry(string op, Tensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding,
        (int H, int W) dilation, bool ceilMode)
    {
        CheckInput(op, x);
        if (kernel.H < 1 || kernel.W < 1) Throw.Argument($"{op}: kernel size {Pair(kernel)} must be positive.");
        if (stride.H < 1 || stride.W < 1) Throw.Argument($"{op}: stride {Pair(stride)} must be positive.");
        if (dilation.H < 1 || dilation.W < 1) Throw.Argument($"{op}: dilation {Pair(dilation)} must be positive.");
        if (padding.H < 0 || padding.W < 0) Throw.Argument($"{op}: padding {Pair(padding)} must not be negative.");
        if (padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
            Throw.Argument($"{op}: padding {Pair(padding)} must be at most half of the kernel size {Pair(kernel)}.");
        int h = x.shape[^2], w = x.shape[^1];
        int outH = PoolGeometry.OutputSize(h, kernel.H, stride.H, padding.H, dilation.H, ceilMode);
        int outW = PoolGeometry.OutputSize(w, kernel.W, stride.W, padding.W, dilation.W, ceilMode);
        if (outH < 1 || outW < 1)
            Throw.Shape(op, "an output of at least 1×1", $"{outH}×{outW}",
                $"{op}: input {ShapeUtil.Format(x.shape)} is too small for kernel {Pair(kernel)} with stride {Pair(stride)}, padding {Pair(padding)} and dilation {Pair(dilation)} (output would be {outH}×{outW}).");
        return new PoolGeometry(h, w, kernel.H, kernel.W, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W, outH, outW);
    }

    /// <summary>Validates an adaptive pooling's target size.</summary>
    public static void CheckOutputSize(string op, Tensor x, (int H, int W) size)
    {
        CheckInput(op, x);
        if (size.H < 0 || size.W < 0) Throw.Argument($"{op}: output size {Pair(size)} must not be negative.");
    }

    private static string Pair((int H, int W) p) => p.H == p.W ? p.H.ToString(CultureInfo.InvariantCulture) : $"({p.H}, {p.W})";
}
