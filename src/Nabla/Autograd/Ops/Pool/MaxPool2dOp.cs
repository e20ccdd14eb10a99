using System.Numerics;
using Nabla.Kernels.Pool;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>2-D max pooling (PyTorch's max_pool2d): y[p, oy, ox] = max over the window of x[p], padding read as −∞.
/// Backward: dx[p, argmax] += dy[p, oy, ox], the argmax being the first maximum in row-major order (NaN wins).</summary>
/// <remarks>Backward finds each argmax again from the saved input (<see cref="MaxPoolKernel"/>), so training needs no
/// index tensor; the indices are computed only when asked for, as flat positions h·W + w in the input plane (int64).</remarks>
internal sealed class MaxPool2dOp : Node
{
    private SavedTensor x;   // contiguous [N, C, H, W] or [C, H, W]
    private readonly PoolGeometry geometry;
    private readonly int planes;
    private readonly int[] xShape;

    private MaxPool2dOp(Tensor x, PoolGeometry geometry) : base(x)
    {
        this.x = Save(x);
        (this.geometry, planes, xShape) = (geometry, PoolArgs.Planes(x), x.shape);
    }

    /// <summary>Validates, pools, and records. Returns the indices too when <paramref name="withIndices"/>.</summary>
    public static (Tensor Output, Tensor? Indices) Apply(Tensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding,
        (int H, int W) dilation, bool ceilMode, bool withIndices, string op = "MaxPool2d")
    {
        var g = PoolArgs.Geometry(op, x, kernel, stride, padding, dilation, ceilMode);
        var xc = x.ContiguousRaw();
        var outShape = PoolArgs.OutputShape(x, g.OutH, g.OutW);
        var y = Tensor.Uninitialized(outShape, x.DType);
        var indices = withIndices ? Tensor.Uninitialized(outShape, DType.Int64) : null;
        int planes = PoolArgs.Planes(x);
        if (x.DType == DType.Float32) Forward<float>(xc, y, indices, planes, g);
        else Forward<double>(xc, y, indices, planes, g);
        if (Graph.ShouldRecord(x)) Graph.Record(y, new MaxPool2dOp(xc, g));
        return (y, indices);
    }

    private static void Forward<T>(Tensor x, Tensor y, Tensor? indices, int planes, in PoolGeometry g) where T : unmanaged, IFloatingPointIeee754<T> =>
        MaxPoolKernel.Forward(x.Span<T>(), y.Span<T>(), indices is null ? default : indices.Span<long>(), planes, g);

    protected internal override void Backward(Tensor dy)
    {
        var xv = x.Value;
        var g = dy.ContiguousRaw();
        var dx = Tensor.Uninitialized(xShape, dy.DType);
        if (dy.DType == DType.Float32) MaxPoolKernel.Backward(xv.Span<float>(), g.Span<float>(), dx.Span<float>(), planes, geometry);
        else MaxPoolKernel.Backward(xv.Span<double>(), g.Span<double>(), dx.Span<double>(), planes, geometry);
        AddGrad(0, dx);
    }

    protected internal override void ReleaseSaved() => x = default;
}
