using Nabla.Kernels.Softmax;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Softmax or log-softmax along one dimension, numerically stable (see <see cref="SoftmaxKernel"/>).
/// softmax: dx = y ⊙ (dy − Σ dy⊙y);  log-softmax: dx = dy − softmax(x)·Σ dy.</summary>
internal sealed class SoftmaxOp : Node
{
    private SavedTensor y;
    private readonly int dim;
    private readonly bool log;

    private SoftmaxOp(Tensor x, Tensor y, int dim, bool log) : base(x)
    {
        this.y = Save(y);
        (this.dim, this.log) = (dim, log);
    }

    public override string Name => log ? "LogSoftmax" : "Softmax";

    public static Tensor Apply(Tensor x, int dim, bool log)
    {
        string op = log ? "LogSoftmax" : "Softmax";
        if (!x.DType.IsFloatingPoint()) Throw.DType(op, x.DType, "float32 or float64");
        int d = x.Dim == 0 ? 0 : ShapeUtil.WrapDim(op, dim, x.Dim);
        var y = RowWise(x, d, (src, dst, n) =>
        {
            if (src.DType == DType.Float32) SoftmaxKernel.Forward<float>(src.Span<float>(), dst.Span<float>(), n, log);
            else SoftmaxKernel.Forward<double>(src.Span<double>(), dst.Span<double>(), n, log);
        });
        return Graph.ShouldRecord(x) ? Graph.Record(y, new SoftmaxOp(x, y, d, log)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var yv = y.Value;
        var ylast = MoveToLast(yv, dim).ContiguousRaw();
        var dylast = MoveToLast(dy, dim).ContiguousRaw();
        int n = ylast.Dim == 0 ? 1 : ylast.shape[^1];
        var dx = Tensor.Uninitialized(ylast.shape, yv.DType);
        if (yv.DType == DType.Float32) SoftmaxKernel.Backward<float>(ylast.Span<float>(), dylast.Span<float>(), dx.Span<float>(), n, log);
        else SoftmaxKernel.Backward<double>(ylast.Span<double>(), dylast.Span<double>(), dx.Span<double>(), n, log);
        AddGrad(0, MoveToLast(dx, dim).ContiguousRaw());
    }

    protected internal override void ReleaseSaved() => y = default;

    // Swapping dim with the last dimension is its own inverse.
    private static Tensor MoveToLast(Tensor t, int dim) => t.Dim == 0 || dim == t.Dim - 1 ? t : t.TransposeRaw(dim, t.Dim - 1);

    /// <summary>Applies a row kernel along <paramref name="dim"/>: moves it last, runs over contiguous rows, moves it back.</summary>
    private static Tensor RowWise(Tensor x, int dim, Action<Tensor, Tensor, int> kernel)
    {
        var src = MoveToLast(x, dim).ContiguousRaw();
        var dst = Tensor.Uninitialized(src.shape, x.DType);
        if (dst.NumEl > 0) kernel(src, dst, src.Dim == 0 ? 1 : src.shape[^1]);
        return MoveToLast(dst, dim).ContiguousRaw();
    }
}
