using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>(values, indices) = sort(x, dim, descending): each row along dim reordered, stably, with the original
/// positions in indices. values = x.gather(dim, indices), so dx = scatter_add(zeros, dim, indices, dvalues).</summary>
/// <remarks>NaN sorts above every number, as in PyTorch (last ascending, first descending). Equal elements keep
/// their order in both directions (stable). TopK is the first k entries of this order.</remarks>
internal static class SortOp
{
    public static (Tensor Values, Tensor Indices) Apply(Tensor x, int dim, bool descending)
    {
        const string op = "Sort";
        int d = ShapeUtil.WrapDim(op, dim, x.Dim);
        return Run(x, d, descending, x.Dim == 0 ? 1 : x.shape[d], op);
    }

    /// <summary>Sorts every row along <paramref name="dim"/> (already wrapped) and keeps its first <paramref name="k"/> entries.</summary>
    public static (Tensor Values, Tensor Indices) Run(Tensor x, int dim, bool descending, int k, string op)
    {
        int[] outShape = x.Dim == 0 ? [] : (int[])x.shape.Clone();
        if (x.Dim > 0) outShape[dim] = k;
        var values = Tensor.Uninitialized(outShape, x.DType);
        var indices = Tensor.Uninitialized(outShape, DType.Int64);
        var src = x.ContiguousRaw();
        var (outer, n, inner) = IndexArgs.Around(x.shape, dim);
        var idx = indices.Span<long>();
        switch (x.DType)
        {
            case DType.Float32: SortRows(src.Span<float>(), values.Span<float>(), idx, outer, n, inner, k, descending); break;
            case DType.Float64: SortRows(src.Span<double>(), values.Span<double>(), idx, outer, n, inner, k, descending); break;
            case DType.Int64: SortRows(src.Span<long>(), values.Span<long>(), idx, outer, n, inner, k, descending); break;
            case DType.Int32: SortRows(src.Span<int>(), values.Span<int>(), idx, outer, n, inner, k, descending); break;
            default: Throw.DType(op, x.DType, "float32, float64, int64 or int32"); break;
        }
        return (GatherOp.Record(values, x, dim, indices, op), indices);
    }

    /// <summary>For each row (o, i) of x viewed as [outer, n, inner]: a stable order of its n elements, of which
    /// the first k values and positions are written to rows of length k.</summary>
    /// <remarks>Array.Sort of (value, position) pairs is the fast primitive-key introsort but not stable, and puts
    /// NaN first. So: move the NaNs to the end, reverse for descending, then restore ascending positions inside
    /// each run of equal values, which is exactly the stable order.</remarks>
    private static void SortRows<T>(ReadOnlySpan<T> x, Span<T> values, Span<long> indices, int outer, int n, int inner, int k, bool descending)
        where T : INumber<T>
    {
        if (outer * inner == 0 || n == 0) return;
        var keys = new T[n];
        var order = new int[n];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = o * n * inner + i;
                if (inner == 1) x.Slice(start, n).CopyTo(keys);
                else for (int j = 0; j < n; j++) keys[j] = x[start + j * inner];
                for (int j = 0; j < n; j++) order[j] = j;
                SortRow(keys, order, descending);
                int outStart = o * k * inner + i;
                for (int j = 0; j < k; j++)
                {
                    values[outStart + j * inner] = keys[j];
                    indices[outStart + j * inner] = order[j];
                }
            }
        }
    }

    private static void SortRow<T>(T[] keys, int[] order, bool descending) where T : INumber<T>
    {
        Array.Sort(keys, order);
        int nans = 0;
        while (nans < keys.Length && T.IsNaN(keys[nans])) nans++;
        if (nans > 0) { RotateLeft(keys.AsSpan(), nans); RotateLeft(order.AsSpan(), nans); }
        if (descending) { Array.Reverse(keys); Array.Reverse(order); }
        for (int runStart = 0, j = 1; j <= keys.Length; j++)
        {
            if (j < keys.Length && Same(keys[j], keys[runStart])) continue;
            if (j - runStart > 1) order.AsSpan(runStart, j - runStart).Sort();
            runStart = j;
        }
    }

    private static bool Same<T>(T a, T b) where T : INumber<T> => a == b || (T.IsNaN(a) && T.IsNaN(b));

    private static void RotateLeft<TItem>(Span<TItem> span, int count)
    {
        span[..count].Reverse();
        span[count..].Reverse();
        span.Reverse();
    }
}
