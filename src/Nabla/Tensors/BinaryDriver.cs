using System.Numerics;
using Nabla.Kernels.Elementwise;

namespace Nabla.Tensors;

/// <summary>Runs an element-wise binary kernel over two broadcast tensors into a new contiguous tensor.</summary>
/// <remarks>After coalescing, the innermost dimension is walked as spans: span∘span when both operands are
/// contiguous there, span∘scalar when one is broadcast (stride 0), and a scalar loop otherwise.</remarks>
internal static class BinaryDriver
{
    public static Tensor Run<TK>(Tensor a, Tensor b) where TK : IBinaryKernel
    {
        CheckDTypes(TK.Name, a, b);
        var outShape = ShapeUtil.SameShape(a.shape, b.shape) ? a.shape : ShapeUtil.Broadcast(TK.Name, a.shape, b.shape);
        var result = Tensor.Uninitialized(outShape, a.DType);
        if (result.NumEl == 0) return result;
        if (a.DType == DType.Float32) Loop<float, TK>(a, b, result);
        else Loop<double, TK>(a, b, result);
        return result;
    }

    public static void CheckDTypes(string op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
            Throw.Argument($"{op}: dtypes differ: {a.DType.TorchName()} {ShapeUtil.Format(a.shape)} and {b.DType.TorchName()} {ShapeUtil.Format(b.shape)}; convert one with To(DType) first.");
        if (!a.DType.IsFloatingPoint())
            Throw.DType(op, a.DType, "float32 or float64");
    }

    private static void Loop<T, TK>(Tensor a, Tensor b, Tensor result)
        where T : unmanaged, IFloatingPointIeee754<T> where TK : IBinaryKernel
    {
        T[] aa = a.Raw<T>(), bb = b.Raw<T>();
        var c = result.Span<T>();
        int n = result.NumEl;
        // Fast paths: same shape and both contiguous, or one side a single element.
        if (a.IsContiguous && b.IsContiguous)
        {
            if (a.NumEl == n && b.NumEl == n) { TK.Apply<T>(aa.AsSpan(a.Offset, n), bb.AsSpan(b.Offset, n), c); return; }
            if (b.NumEl == 1 && a.NumEl == n) { TK.Apply(aa.AsSpan(a.Offset, n), bb[b.Offset], c); return; }
            if (a.NumEl == 1 && b.NumEl == n) { TK.Apply(aa[a.Offset], bb.AsSpan(b.Offset, n), c); return; }
        }
        int rank0 = result.Dim;
        Span<int> shape = stackalloc int[rank0];
        Span<int> sa = stackalloc int[rank0];
        Span<int> sb = stackalloc int[rank0];
        Span<int> sc = stackalloc int[rank0];
        result.shape.CopyTo(shape);
        ShapeUtil.BroadcastStrides(a.shape, a.strides, result.shape).CopyTo(sa);
        ShapeUtil.BroadcastStrides(b.shape, b.strides, result.shape).CopyTo(sb);
        result.strides.CopyTo(sc);
        int rank = Strided.Coalesce(shape, sa, sb, sc, 3);
        if (rank == 0) { TK.Apply(aa.AsSpan(a.Offset, 1), bb.AsSpan(b.Offset, 1), c[..1]); return; }
        int inner = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
        Span<int> idx = stackalloc int[rank];
        idx.Clear();
        int oa = a.Offset, ob = b.Offset;
        Span<T> tmpB = inner <= 256 ? stackalloc T[inner] : new T[inner];
        for (int oc = 0; oc < n; oc += inner)
        {
            var dst = c.Slice(oc, inner);
            if (ia == 1 && ib == 1) TK.Apply<T>(aa.AsSpan(oa, inner), bb.AsSpan(ob, inner), dst);
            else if (ia == 1 && ib == 0) TK.Apply(aa.AsSpan(oa, inner), bb[ob], dst);
            else if (ia == 0 && ib == 1) TK.Apply(aa[oa], bb.AsSpan(ob, inner), dst);
            else
            {
                // General strides: gather both rows, then apply as spans.
                for (int j = 0; j < inner; j++) { dst[j] = aa[oa + j * ia]; tmpB[j] = bb[ob + j * ib]; }
                TK.Apply<T>(dst, tmpB, dst);
            }
            for (int k = rank - 2; k >= 0; k--)
            {
                if (++idx[k] < shape[k]) { oa += sa[k]; ob += sb[k]; break; }
                oa -= (shape[k] - 1) * sa[k];
                ob -= (shape[k] - 1) * sb[k];
                idx[k] = 0;
            }
        }
    }
}
