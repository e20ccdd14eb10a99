using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x.index_select(dim, index): y[…, j, …] = x[…, index[j], …].
/// dx = index_add(zeros, dim, index, dy): slice j of dy is added into slice index[j] of dx, so repeated indices accumulate.</summary>
/// <remarks>x is read as [outer, n, inner] and y written as [outer, k, inner]; each selected slice is one span
/// copy of inner elements (a whole row when dim = 0).</remarks>
internal sealed class IndexSelectOp : Node
{
    private SavedTensor index;   // [k], int64
    private readonly int[] xShape;
    private readonly int dim;

    private IndexSelectOp(Tensor x, int dim, Tensor index) : base(x)
    {
        this.index = Save(index);
        xShape = x.shape;
        this.dim = dim;
    }

    public static Tensor Apply(Tensor x, int dim, Tensor index)
    {
        const string op = "IndexSelect";
        IndexArgs.CheckIndexDType(op, index);
        if (index.Dim > 1)
            Throw.Shape(op, "a 0-D or 1-D index", ShapeUtil.Format(index.shape),
                $"{op}: index must be 0-D or 1-D; got shape {ShapeUtil.Format(index.shape)}.");
        int d = ShapeUtil.WrapDim(op, dim, x.Dim);
        var idx = IndexArgs.AsInt64(index);
        var (_, size, _) = IndexArgs.Around(x.shape, d);
        if (x.Dim == 0 && idx.NumEl != 1)
            Throw.Shape(op, "1 index", $"{idx.NumEl} indices", $"{op}: a 0-dimensional input takes exactly one index; got {idx.NumEl}.");
        IndexArgs.CheckRange(op, idx.Span<long>(), size, d);

        var y = Forward(x, d, idx.Span<long>());
        return Graph.ShouldRecord(x) ? Graph.Record(y, new IndexSelectOp(x, d, idx)) : y;
    }

    private static Tensor Forward(Tensor x, int dim, ReadOnlySpan<long> idx)
    {
        int[] yShape = x.Dim == 0 ? [] : (int[])x.shape.Clone();
        if (x.Dim > 0) yShape[dim] = idx.Length;
        var y = Tensor.Uninitialized(yShape, x.DType);
        var src = x.ContiguousRaw();
        var (outer, n, inner) = IndexArgs.Around(x.shape, dim);
        switch (x.DType)
        {
            case DType.Float32: Select(src.Span<float>(), idx, y.Span<float>(), outer, n, inner); break;
            case DType.Float64: Select(src.Span<double>(), idx, y.Span<double>(), outer, n, inner); break;
            case DType.Int64: Select(src.Span<long>(), idx, y.Span<long>(), outer, n, inner); break;
            case DType.Int32: Select(src.Span<int>(), idx, y.Span<int>(), outer, n, inner); break;
            case DType.Complex64: Select(src.Span<Complex64>(), idx, y.Span<Complex64>(), outer, n, inner); break;
            default: Select(src.Span<bool>(), idx, y.Span<bool>(), outer, n, inner); break;
        }
        return y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var idx = index.Value.Span<long>();
        var dx = Tensor.Zeros(xShape, dy.DType);
        var g = dy.ContiguousRaw();
        var (outer, n, inner) = IndexArgs.Around(xShape, dim);
        if (dy.DType == DType.Float32) IndexAdd(g.Span<float>(), idx, dx.Span<float>(), outer, n, inner);
        else IndexAdd(g.Span<double>(), idx, dx.Span<double>(), outer, n, inner);
        AddGrad(0, dx);
    }

    protected internal override void ReleaseSaved() => index = default;

    /// <summary>y[o, j, :] = x[o, idx[j], :].</summary>
    internal static void Select<T>(ReadOnlySpan<T> x, ReadOnlySpan<long> idx, Span<T> y, int outer, int n, int inner)
    {
        int k = idx.Length;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var row = x.Slice(o * n, n);
                var dst = y.Slice(o * k, k);
                for (int j = 0; j < k; j++) dst[j] = row[(int)idx[j]];
            }
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                x.Slice((o * n + (int)idx[j]) * inner, inner).CopyTo(y.Slice((o * k + j) * inner, inner));
    }

    /// <summary>dx[o, idx[j], :] += dy[o, j, :].</summary>
    private static void IndexAdd<T>(ReadOnlySpan<T> dy, ReadOnlySpan<long> idx, Span<T> dx, int outer, int n, int inner)
        where T : INumber<T>
    {
        int k = idx.Length;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                var row = dx.Slice(o * n, n);
                var src = dy.Slice(o * k, k);
                for (int j = 0; j < k; j++) row[(int)idx[j]] += src[j];
                continue;
            }
            for (int j = 0; j < k; j++)
            {
                var dst = dx.Slice((o * n + (int)idx[j]) * inner, inner);
                TensorPrimitives.Add(dst, dy.Slice((o * k + j) * inner, inner), dst);
            }
        }
    }
}
