using Nabla.Kernels.Pool;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Adaptive 2-D max pooling (PyTorch's adaptive_max_pool2d): output (i, j) is the maximum of the bin
/// [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉) × [⌊j·W/outW⌋, ⌈(j+1)·W/outW⌉), with its flat index h·W + w.
/// Backward: dx[index] += dy.</summary>
internal sealed class AdaptiveMaxPool2dOp : Node
{
    private SavedTensor indices;   // int64, the output's shape
    private readonly int[] xShape;
    private readonly int outH, outW;

    private AdaptiveMaxPool2dOp(Tensor x, Tensor indices, int outH, int outW) : base(x) =>
        (this.indices, xShape, this.outH, this.outW) = (Save(indices), x.shape, outH, outW);

    public static (Tensor Output, Tensor Indices) Apply(Tensor x, (int H, int W) size, string op = "AdaptiveMaxPool2d")
    {
        PoolArgs.CheckOutputSize(op, x, size);
        var xc = x.ContiguousRaw();
        var shape = PoolArgs.OutputShape(x, size.H, size.W);
        var y = Tensor.Uninitialized(shape, x.DType);
        var idx = Tensor.Uninitialized(shape, DType.Int64);
        int planes = PoolArgs.Planes(x), h = x.shape[^2], w = x.shape[^1];
        if (x.DType == DType.Float32) AdaptivePoolKernel.MaxForward(xc.Span<float>(), y.Span<float>(), idx.Span<long>(), planes, h, w, size.H, size.W);
        else AdaptivePoolKernel.MaxForward(xc.Span<double>(), y.Span<double>(), idx.Span<long>(), planes, h, w, size.H, size.W);
        // The returned indices are saved as they are; changing them in place makes backward throw, as in PyTorch.
        if (Graph.ShouldRecord(x)) Graph.Record(y, new AdaptiveMaxPool2dOp(x, idx, size.H, size.W));
        return (y, idx);
    }

    protected internal override void Backward(Tensor dy)
    {
        var g = dy.ContiguousRaw();
        var dx = Tensor.Uninitialized(xShape, dy.DType);
        var idx = indices.Value.Span<long>();
        int planes = xShape.Length == 4 ? xShape[0] * xShape[1] : xShape[0], h = xShape[^2], w = xShape[^1];
        if (dy.DType == DType.Float32) AdaptivePoolKernel.MaxBackward(g.Span<float>(), idx, dx.Span<float>(), planes, h, w, outH, outW);
        else AdaptivePoolKernel.MaxBackward(g.Span<double>(), idx, dx.Span<double>(), planes, h, w, outH, outW);
        AddGrad(0, dx);
    }

    protected internal override void ReleaseSaved() => indices = default;
}
