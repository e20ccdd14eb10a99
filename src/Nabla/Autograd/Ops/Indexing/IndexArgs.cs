using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Checks and conversions shared by the indexing ops: index dtypes, index ranges, the
/// [outer, size, inner] view of a shape around one dimension, and the gather/scatter shape rules.</summary>
internal static class IndexArgs
{
    /// <summary>Index tensors may be int64 (PyTorch's only index dtype) or int32.</summary>
    public static void CheckIndexDType(string op, Tensor index, string what = "index")
    {
        if (index.DType is not (DType.Int64 or DType.Int32))
            Throw.Argument($"{op}: {what} has dtype {index.DType.TorchName()}; expected int64 or int32.");
    }

    /// <summary>The index values as a contiguous int64 tensor: the index itself when it already is one
    /// (so a saved copy sees the user's in-place changes), else a converted copy.</summary>
    public static Tensor AsInt64(Tensor index)
    {
        if (index.DType == DType.Int64) return index.ContiguousRaw();
        var src = index.ContiguousRaw().Span<int>();
        var result = Tensor.Uninitialized(index.ShapeSpan, DType.Int64);
        var dst = result.Span<long>();
        for (int i = 0; i < src.Length; i++) dst[i] = src[i];
        return result;
    }

    /// <summary>Every index must lie in [0, size): PyTorch's gather, scatter and index_select do not wrap negatives.</summary>
    public static void CheckRange(string op, ReadOnlySpan<long> index, int size, int dim)
    {
        for (int i = 0; i < index.Length; i++)
        {
            long v = index[i];
            if ((ulong)v >= (ulong)size)
                Throw.OutOfRange(size == 0
                    ? $"{op}: index {v} is out of range for dimension {dim} with size 0 (the dimension is empty)."
                    : $"{op}: index {v} is out of range for dimension {dim} with size {size} (valid indices are 0..{size - 1}).");
        }
    }

    /// <summary>A row-major shape seen as [outer, size, inner] around <paramref name="dim"/>.</summary>
    public static (int Outer, int Size, int Inner) Around(ReadOnlySpan<int> shape, int dim)
    {
        if (shape.Length == 0) return (1, 1, 1);
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[dim], inner);
    }

    /// <summary>PyTorch's gather/scatter rules: index has the input's rank, and index.size(d) ≤ input.size(d) for
    /// every d ≠ dim (for every d when <paramref name="allDims"/>, as src must satisfy).</summary>
    public static void CheckFits(string op, Tensor index, Tensor target, string targetName, int dim, bool allDims)
    {
        if (index.Dim != target.Dim)
            Throw.Shape(op, $"{target.Dim} dimensions", $"{index.Dim} dimensions",
                $"{op}: index has {index.Dim} dimensions but {targetName} has {target.Dim}; they must have the same number of dimensions.");
        for (int d = 0; d < index.Dim; d++)
        {
            if (!allDims && d == dim) continue;
            if (index.shape[d] > target.shape[d])
                Throw.Shape(op, ShapeUtil.Format(target.shape), ShapeUtil.Format(index.shape),
                    $"{op}: index {ShapeUtil.Format(index.shape)} does not fit {targetName} {ShapeUtil.Format(target.shape)} at dimension {d} " +
                    $"({index.shape[d]} > {target.shape[d]}); index.size(d) <= {targetName}.size(d) is required for every d{(allDims ? "" : $" != dim ({dim})")}.");
        }
    }
}
