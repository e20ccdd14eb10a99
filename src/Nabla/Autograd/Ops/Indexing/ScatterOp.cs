using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x.scatter(dim, index, src): a copy of x with y[p with dim ← index[p]] = src[p] for every position p
/// of index (or a scalar value), and y = x.scatter_add(dim, index, src), which adds instead of writing.</summary>
/// <remarks>
/// Gradients, as PyTorch defines them:
/// scatter: dx = dy with zeros at the written positions (they no longer depend on x), dsrc = dy.gather(dim, index);
/// scatter_add: dx = dy, dsrc = dy.gather(dim, index). Where src is larger than index, its unused elements get 0.
/// With repeated indices scatter keeps the last write, and (as in PyTorch) every src element still gets dy there.
/// </remarks>
internal sealed class ScatterOp : Node
{
    private SavedTensor index;   // int64, the positions written
    private readonly int[]? srcShape;
    private readonly int dim;
    private readonly bool add;

    private ScatterOp(Tensor x, Tensor? src, int dim, Tensor index, bool add) : base(src is null ? new[] { x } : new[] { x, src })
    {
        this.index = Save(index);
        srcShape = src?.shape;
        this.dim = dim;
        this.add = add;
    }

    public override string Name => add ? "ScatterAdd" : "Scatter";

    /// <summary>Scatters a tensor <paramref name="src"/> (scatter or scatter_add).</summary>
    public static Tensor Apply(Tensor x, int dim, Tensor index, Tensor src, bool add)
    {
        string op = add ? "ScatterAdd" : "Scatter";
        if (src.DType != x.DType)
            Throw.Argument($"{op}: src has dtype {src.DType.TorchName()} but input has {x.DType.TorchName()}; they must have the same dtype.");
        IndexArgs.CheckIndexDType(op, index);
        int d = ShapeUtil.WrapDim(op, dim, x.Dim);
        IndexArgs.CheckFits(op, index, x, "input", d, allDims: false);
        IndexArgs.CheckFits(op, index, src, "src", d, allDims: true);
        if (add && x.DType == DType.Bool) Throw.DType(op, x.DType, "float32, float64, int64 or int32");
        var idx = CheckedIndex(op, x, d, index);

        var y = x.CloneRaw();
        IndexedWalk.Scatter(y, d, idx.Span<long>(), idx.shape, src, add);
        return Graph.ShouldRecord(x, src) ? Graph.Record(y, new ScatterOp(x, src, d, idx, add)) : y;
    }

    /// <summary>Scatters one scalar value into every indexed position.</summary>
    public static Tensor Apply(Tensor x, int dim, Tensor index, double value)
    {
        const string op = "Scatter";
        IndexArgs.CheckIndexDType(op, index);
        int d = ShapeUtil.WrapDim(op, dim, x.Dim);
        IndexArgs.CheckFits(op, index, x, "input", d, allDims: false);
        var idx = CheckedIndex(op, x, d, index);

        var y = x.CloneRaw();
        // The value as a 0-D tensor of x's dtype, broadcast over the index (stride 0): the walk needs no special case.
        var fill = Tensor.Full([], value, x.DType).ExpandRaw(idx.shape);
        IndexedWalk.Scatter(y, d, idx.Span<long>(), idx.shape, fill, accumulate: false);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new ScatterOp(x, null, d, idx, add: false)) : y;
    }

    private static Tensor CheckedIndex(string op, Tensor x, int d, Tensor index)
    {
        var idx = IndexArgs.AsInt64(index);
        IndexArgs.CheckRange(op, idx.Span<long>(), x.Dim == 0 ? 1 : x.shape[d], d);
        return idx;
    }

    protected internal override void Backward(Tensor dy)
    {
        var idx = index.Value;
        if (NeedsGrad(0))
        {
            if (add) AddGrad(0, dy);
            else
            {
                var dx = dy.CloneRaw();
                var zero = Tensor.Zeros([], dy.DType).ExpandRaw(idx.shape);
                IndexedWalk.Scatter(dx, dim, idx.Span<long>(), idx.shape, zero, accumulate: false);
                AddGrad(0, dx);
            }
        }
        if (srcShape is not null && NeedsGrad(1))
        {
            // dsrc[p] = dy[p with dim ← index[p]] on the index's positions, 0 on the rest of src.
            var dsrc = ShapeUtil.SameShape(srcShape, idx.shape) ? Tensor.Uninitialized(srcShape, dy.DType) : Tensor.Zeros(srcShape, dy.DType);
            IndexedWalk.Gather(dy, dim, idx.Span<long>(), idx.shape, dsrc);
            AddGrad(1, dsrc);
        }
    }

    protected internal override void ReleaseSaved() => index = default;
}
