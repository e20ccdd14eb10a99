using Nabla.Kernels.Pool;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Adaptive 2-D average pooling (PyTorch's adaptive_avg_pool2d): output (i, j) averages input rows
/// [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉) × columns [⌊j·W/outW⌋, ⌈(j+1)·W/outW⌉).  Backward: each input in bin (i, j)
/// receives dy[i, j] / bin size.</summary>
internal sealed class AdaptiveAvgPool2dOp : Node
{
    private readonly int[] xShape;
    private readonly int outH, outW;

    private AdaptiveAvgPool2dOp(Tensor x, int outH, int outW) : base(x) => (xShape, this.outH, this.outW) = (x.shape, outH, outW);

    public static Tensor Apply(Tensor x, (int H, int W) size, string op = "AdaptiveAvgPool2d")
    {
        PoolArgs.CheckOutputSize(op, x, size);
        var xc = x.ContiguousRaw();
        var y = Tensor.Uninitialized(PoolArgs.OutputShape(x, size.H, size.W), x.DType);
        int planes = PoolArgs.Planes(x), h = x.shape[^2], w = x.shape[^1];
        if (x.DType == DType.Float32) AdaptivePoolKernel.AvgForward(xc.Span<float>(), y.Span<float>(), planes, h, w, size.H, size.W);
        else AdaptivePoolKernel.AvgForward(xc.Span<double>(), y.Span<double>(), planes, h, w, size.H, size.W);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new AdaptiveAvgPool2dOp(x, size.H, size.W)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var g = dy.ContiguousRaw();
        var dx = Tensor.Uninitialized(xShape, dy.DType);
        int planes = xShape.Length == 4 ? xShape[0] * xShape[1] : xShape[0], h = xShape[^2], w = xShape[^1];
        if (dy.DType == DType.Float32) AdaptivePoolKernel.AvgBackward(g.Span<float>(), dx.Span<float>(), planes, h, w, outH, outW);
        else AdaptivePoolKernel.AvgBackward(g.Span<double>(), dx.Span<double>(), planes, h, w, outH, outW);
        AddGrad(0, dx);
    }
}
