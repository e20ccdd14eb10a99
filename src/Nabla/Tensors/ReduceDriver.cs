using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

/// <summary>Reductions over dimensions: sums and extrema (with their indices).</summary>
/// <remarks>A contiguous tensor whose reduced dimensions form one consecutive block is read in place as
/// [outer, R, inner]: with inner = 1 each output is a vectorized row reduction; otherwise whole rows of length
/// inner are accumulated with vector adds. Other layouts are first permuted so the reduced dims come last.</remarks>
internal static class ReduceDriver
{
    /// <summary>Normalizes dims (wraps negatives, sorts, rejects duplicates); an empty list means all dims.</summary>
    public static int[] NormalizeDims(string op, ReadOnlySpan<int> dims, int rank)
    {
        if (dims.IsEmpty)
        {
            var all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        var result = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++) result[i] = ShapeUtil.WrapDim(op, dims[i], rank);
        Array.Sort(result);
        for (int i = 1; i < result.Length; i++)
            if (result[i] == result[i - 1]) Throw.Argument($"{op}: dimension {result[i]} appears more than once.");
        return result;
    }

    public static int[] ReducedShape(ReadOnlySpan<int> shape, int[] dims, bool keepDim)
    {
        var list = new List<int>(shape.Length);
        for (int i = 0, k = 0; i < shape.Length; i++)
        {
            bool reduced = k < dims.Length && dims[k] == i;
            if (reduced) k++;
            if (!reduced) list.Add(shape[i]);
            else if (keepDim) list.Add(1);
        }
        return [.. list];
    }

    /// <summary>Σ over <paramref name="dims"/> (sorted, unique).</summary>
    public static Tensor Sum(Tensor x, int[] dims, bool keepDim)
    {
        var outShape = ReducedShape(x.shape, dims, keepDim);
        var result = Tensor.Uninitialized(outShape, x.DType);
        var (src, outer, r, inner) = Arrange(x, dims);
        if (x.DType == DType.Float32) SumKernel(src.Span<float>(), outer, r, inner, result.Span<float>());
        else if (x.DType == DType.Float64) SumKernel(src.Span<double>(), outer, r, inner, result.Span<double>());
        else Throw.DType("Sum", x.DType, "float32 or float64");
        return result;
    }

    /// <summary>Views x as [outer, R, inner] with the reduced dims as the middle block, copying only when needed.</summary>
    private static (Tensor src, int outer, int r, int inner) Arrange(Tensor x, int[] dims)
    {
        bool block = true;
        for (int i = 1; i < dims.Length; i++) if (dims[i] != dims[i - 1] + 1) block = false;
        if (!(block && x.IsContiguous))
        {
            // Move reduced dims to the end, then copy: [kept..., reduced...].
            var perm = new int[x.Dim];
            int p = 0;
            for (int i = 0; i < x.Dim; i++) if (Array.IndexOf(dims, i) < 0) perm[p++] = i;
            foreach (int d in dims) perm[p++] = d;
            x = x.PermuteRaw(perm).CloneRaw();
            dims = new int[dims.Length];
            for (int i = 0; i < dims.Length; i++) dims[i] = x.Dim - dims.Length + i;
        }
        int outer = 1, r = 1, inner = 1;
        if (dims.Length > 0)
        {
            for (int i = 0; i < dims[0]; i++) outer *= x.shape[i];
            foreach (int d in dims) r *= x.shape[d];
            for (int i = dims[^1] + 1; i < x.Dim; i++) inner *= x.shape[i];
        }
        else outer = x.NumEl;
        return (x, outer, r, inner);
    }

    private static void SumKernel<T>(ReadOnlySpan<T> x, int outer, int r, int inner, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) y[o] = r == 0 ? T.Zero : TensorPrimitives.Sum(x.Slice(o * r, r));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var dst = y.Slice(o * inner, inner);
            dst.Clear();
            var block = x.Slice(o * r * inner, r * inner);
            for (int j = 0; j < r; j++) TensorPrimitives.Add(dst, block.Slice(j * inner, inner), dst);
        }
    }

    /// <summary>Max or min over one dimension, with the index of the first extreme element (int64).</summary>
    public static (Tensor Values, Tensor Indices) Extreme(Tensor x, int dim, bool keepDim, bool max)
    {
        int[] dims = [dim];
        var outShape = ReducedShape(x.shape, dims, keepDim);
        if (x.shape.Length > 0 && x.shape[dim] == 0)
            Throw.Argument($"{(max ? "Max" : "Min")}: cannot reduce over dimension {dim} of size 0 (shape {ShapeUtil.Format(x.shape)}).");
        var values = Tensor.Uninitialized(outShape, x.DType);
        var indices = Tensor.Uninitialized(outShape, DType.Int64);
        var (src, outer, r, inner) = Arrange(x, dims);
        var idx = indices.Span<long>();
        switch (x.DType)
        {
            case DType.Float32: ExtremeKernel(src.Span<float>(), outer, r, inner, values.Span<float>(), idx, max); break;
            case DType.Float64: ExtremeKernel(src.Span<double>(), outer, r, inner, values.Span<double>(), idx, max); break;
            case DType.Int64: ExtremeKernel(src.Span<long>(), outer, r, inner, values.Span<long>(), idx, max); break;
            case DType.Int32: ExtremeKernel(src.Span<int>(), outer, r, inner, values.Span<int>(), idx, max); break;
            default: Throw.DType(max ? "Max" : "Min", x.DType, "a numeric dtype"); break;
        }
        return (values, indices);
    }

    private static void ExtremeKernel<T>(ReadOnlySpan<T> x, int outer, int r, int inner, Span<T> y, Span<long> idx, bool max)
        where T : unmanaged, INumber<T>
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int baseIdx = o * r * inner + i;
                T best = x[baseIdx];
                long bestJ = 0;
                bool bestNaN = T.IsNaN(best);
                for (int j = 1; j < r && !bestNaN; j++)
                {
                    T v = x[baseIdx + j * inner];
                    // NaN wins, as in PyTorch: max/argmax of a row with NaN is NaN at its first position.
                    if (T.IsNaN(v)) { best = v; bestJ = j; bestNaN = true; }
                    else if (max ? v > best : v < best) { best = v; bestJ = j; }
                }
                y[o * inner + i] = best;
                idx[o * inner + i] = bestJ;
            }
        }
    }
}
