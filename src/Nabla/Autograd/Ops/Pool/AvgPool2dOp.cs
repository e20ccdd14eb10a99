using Nabla.Kernels.Pool;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>2-D average pooling (PyTorch's avg_pool2d): y[p, oy, ox] = Σ x over the window / divisor, the divisor
/// being divisorOverride, else the window size counting padding (countIncludePad) or not.
/// Backward: every x in the window receives dy/divisor.</summary>
/// <remarks>See <see cref="AvgPoolKernel"/> for the exact window and divisor rules, including ceil mode.</remarks>
internal sealed class AvgPool2dOp : Node
{
    private readonly PoolGeometry geometry;
    private readonly int planes, divisorOverride;
    private readonly bool countIncludePad;
    private readonly int[] xShape;

    private AvgPool2dOp(Tensor x, PoolGeometry geometry, bool countIncludePad, int divisorOverride) : base(x) =>
        (this.geometry, planes, this.countIncludePad, this.divisorOverride, xShape) = (geometry, PoolArgs.Planes(x), countIncludePad, divisorOverride, x.shape);

    public static Tensor Apply(Tensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, bool ceilMode,
        bool countIncludePad, int? divisorOverride, string op = "AvgPool2d")
    {
        var g = PoolArgs.Geometry(op, x, kernel, stride, padding, (1, 1), ceilMode);
        if (divisorOverride == 0) Throw.Argument($"{op}: divisor_override must not be zero.");
        int divisor = divisorOverride ?? 0;
        var xc = x.ContiguousRaw();
        var y = Tensor.Uninitialized(PoolArgs.OutputShape(x, g.OutH, g.OutW), x.DType);
        int planes = PoolArgs.Planes(x);
        if (x.DType == DType.Float32) AvgPoolKernel.Forward(xc.Span<float>(), y.Span<float>(), planes, g, countIncludePad, divisor);
        else AvgPoolKernel.Forward(xc.Span<double>(), y.Span<double>(), planes, g, countIncludePad, divisor);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new AvgPool2dOp(x, g, countIncludePad, divisor)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var g = dy.ContiguousRaw();
        var dx = Tensor.Uninitialized(xShape, dy.DType);
        if (dy.DType == DType.Float32) AvgPoolKernel.Backward(g.Span<float>(), dx.Span<float>(), planes, geometry, countIncludePad, divisorOverride);
        else AvgPoolKernel.Backward(g.Span<double>(), dx.Span<double>(), planes, geometry, countIncludePad, divisorOverride);
        AddGrad(0, dx);
    }
}
