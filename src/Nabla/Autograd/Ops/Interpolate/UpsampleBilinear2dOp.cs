using System.Numerics;
using Nabla.Kernels.Interpolate;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Bilinear resampling of [N, C, H, W] (PyTorch's upsample_bilinear2d): each output is the weighted sum of
/// the four input pixels around its source coordinate, y = Σ wr·wc·x.  Backward: each of those pixels receives
/// wr·wc·dy (see <see cref="InterpolateKernel.LinearIndices{T}"/> for the coordinates).</summary>
internal sealed class UpsampleBilinear2dOp : Node
{
    private readonly int[] xShape;
    private readonly int outH, outW;
    private readonly bool alignCorners;
    private readonly double scaleH, scaleW;

    private UpsampleBilinear2dOp(Tensor x, int outH, int outW, bool alignCorners, double scaleH, double scaleW) : base(x) =>
        (xShape, this.outH, this.outW, this.alignCorners, this.scaleH, this.scaleW) = (x.shape, outH, outW, alignCorners, scaleH, scaleW);

    /// <summary><paramref name="scaleH"/>/<paramref name="scaleW"/>: the user's scale factors, or 0 to use in/out.</summary>
    public static Tensor Apply(Tensor x, int outH, int outW, bool alignCorners, double scaleH, double scaleW)
    {
        var xc = x.ContiguousRaw();
        var y = Tensor.Uninitialized([x.shape[0], x.shape[1], outH, outW], x.DType);
        if (x.DType == DType.Float32) Forward<float>(xc, y, alignCorners, scaleH, scaleW);
        else Forward<double>(xc, y, alignCorners, scaleH, scaleW);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new UpsampleBilinear2dOp(x, outH, outW, alignCorners, scaleH, scaleW)) : y;
    }

    private static void Forward<T>(Tensor x, Tensor y, bool alignCorners, double scaleH, double scaleW) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = x.shape[2], w = x.shape[3];
        var rows = new LinearTable<T>(h, y.shape[2], alignCorners, scaleH);
        var cols = new LinearTable<T>(w, y.shape[3], alignCorners, scaleW);
        InterpolateKernel.BilinearForward(x.Span<T>(), y.Span<T>(), x.shape[0] * x.shape[1], h, w, rows, cols);
    }

    protected internal override void Backward(Tensor dy)
    {
        var g = dy.ContiguousRaw();
        var dx = Tensor.Uninitialized(xShape, dy.DType);
        if (dy.DType == DType.Float32) RunBackward<float>(g, dx);
        else RunBackward<double>(g, dx);
        AddGrad(0, dx);
    }

    private void RunBackward<T>(Tensor dy, Tensor dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = new LinearTable<T>(xShape[2], outH, alignCorners, scaleH);
        var cols = new LinearTable<T>(xShape[3], outW, alignCorners, scaleW);
        InterpolateKernel.BilinearBackward(dy.Span<T>(), dx.Span<T>(), xShape[0] * xShape[1], xShape[2], xShape[3], rows, cols);
    }
}
