using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x.gather(dim, index): y[p] = x[p with dim ← index[p]], y shaped like index.
/// dx = scatter_add(zeros, dim, index, dy): an element picked k times receives the sum of k gradients.</summary>
/// <remarks>Also the backward of Sort and TopK, whose values are x gathered at the sorted indices.</remarks>
internal sealed class GatherOp : Node
{
    private SavedTensor index;   // int64, shaped like y
    private readonly int[] xShape;
    private readonly int dim;
    private readonly string name;

    private GatherOp(Tensor x, int dim, Tensor index, string name) : base(x)
    {
        this.index = Save(index);
        xShape = x.shape;
        this.dim = dim;
        this.name = name;
    }

    public override string Name => name;

    public static Tensor Apply(Tensor x, int dim, Tensor index)
    {
        const string op = "Gather";
        IndexArgs.CheckIndexDType(op, index);
        int d = ShapeUtil.WrapDim(op, dim, x.Dim);
        IndexArgs.CheckFits(op, index, x, "input", d, allDims: false);
        var idx = IndexArgs.AsInt64(index);
        IndexArgs.CheckRange(op, idx.Span<long>(), x.Dim == 0 ? 1 : x.shape[d], d);

        var y = Tensor.Uninitialized(idx.shape, x.DType);
        IndexedWalk.Gather(x, d, idx.Span<long>(), idx.shape, y);
        return Record(y, x, d, idx, op);
    }

    /// <summary>Attaches the gather backward to <paramref name="y"/> = x gathered at <paramref name="index"/> (int64, checked).</summary>
    public static Tensor Record(Tensor y, Tensor x, int dim, Tensor index, string name) =>
        Graph.ShouldRecord(x) ? Graph.Record(y, new GatherOp(x, dim, index, name)) : y;

    protected internal override void Backward(Tensor dy)
    {
        var idx = index.Value;
        var dx = Tensor.Zeros(xShape, dy.DType);
        IndexedWalk.Scatter(dx, dim, idx.Span<long>(), idx.shape, dy, accumulate: true);
        AddGrad(0, dx);
    }

    protected internal override void ReleaseSaved() => index = default;
}
