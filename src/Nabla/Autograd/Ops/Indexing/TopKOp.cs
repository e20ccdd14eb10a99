using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>(values, indices) = topk(x, k, dim, largest, sorted): the k largest (or smallest) elements of each row
/// along dim. values = x.gather(dim, indices), so dx = scatter_add(zeros, dim, indices, dvalues).</summary>
/// <remarks>The result is always sorted (largest first, or smallest first), which PyTorch permits for
/// sorted = false; among equal values the earlier position comes first.</remarks>
internal static class TopKOp
{
    public static (Tensor Values, Tensor Indices) Apply(Tensor x, int k, int dim, bool largest)
    {
        const string op = "TopK";
        int d = ShapeUtil.WrapDim(op, dim, x.Dim);
        int n = x.Dim == 0 ? 1 : x.shape[d];
        if (k < 0 || k > n)
            Throw.OutOfRange($"{op}: k = {k} is out of range for dimension {d} of size {n} of input {ShapeUtil.Format(x.shape)} (expected 0..{n}).", nameof(k));
        return SortOp.Run(x, d, descending: largest, k, op);
    }
}
