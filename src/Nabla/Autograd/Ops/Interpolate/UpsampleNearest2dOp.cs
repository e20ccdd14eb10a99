using System.Numerics;
using Nabla.Kernels.Interpolate;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Nearest-neighbour resampling of [N, C, H, W] (PyTorch's upsample_nearest2d and, with exact,
/// _upsample_nearest_exact2d): y[oy, ox] = x[src(oy), src(ox)].  dx[src(oy), src(ox)] += dy[oy, ox].</summary>
internal sealed class UpsampleNearest2dOp : Node
{
    private readonly int[] xShape;
    private readonly int[] rows, cols;

    private UpsampleNearest2dOp(Tensor x, int[] rows, int[] cols) : base(x) => (xShape, this.rows, this.cols) = (x.shape, rows, cols);

    /// <summary><paramref name="scaleH"/>/<paramref name="scaleW"/>: the user's scale factors, or 0 to use in/out.</summary>
    public static Tensor Apply(Tensor x, int outH, int outW, double scaleH, double scaleW, bool exact)
    {
        int h = x.shape[2], w = x.shape[3], planes = x.shape[0] * x.shape[1];
        var rows = new int[outH];
        var cols = new int[outW];
        InterpolateKernel.NearestIndices(h, outH, scaleH, exact, rows);
        InterpolateKernel.NearestIndices(w, outW, scaleW, exact, cols);
        var xc = x.ContiguousRaw();
        var y = Tensor.Uninitialized([x.shape[0], x.shape[1], outH, outW], x.DType);
        if (x.DType == DType.Float32) InterpolateKernel.NearestForward(xc.Span<float>(), y.Span<float>(), planes, h, w, rows, cols);
        else InterpolateKernel.NearestForward(xc.Span<double>(), y.Span<double>(), planes, h, w, rows, cols);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new UpsampleNearest2dOp(x, rows, cols)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var g = dy.ContiguousRaw();
        var dx = Tensor.Uninitialized(xShape, dy.DType);
        if (dy.DType == DType.Float32) Run<float>(g, dx);
        else Run<double>(g, dx);
        AddGrad(0, dx);
    }

    private void Run<T>(Tensor dy, Tensor dx) where T : unmanaged, INumberBase<T> =>
        InterpolateKernel.NearestBackward(dy.Span<T>(), dx.Span<T>(), xShape[0] * xShape[1], xShape[2], xShape[3], rows, cols);
}
