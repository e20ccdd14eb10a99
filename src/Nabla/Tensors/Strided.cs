namespace Nabla.Tensors;

/// <summary>Loops over strided layouts: dimension coalescing and row-wise traversal for up to three operands.</summary>
/// <remarks>Adjacent dimensions merge when every operand steps through them as one (stride[i] = stride[i+1]·size[i+1]),
/// so a contiguous tensor becomes a single row and a broadcast bias add becomes [rows, cols] with strides (cols,1)/(0,1).</remarks>
internal static class Strided
{
    /// <summary>Removes size-1 dimensions and merges dimensions that are contiguous in all operands; returns the new rank.</summary>
    public static int Coalesce(Span<int> shape, Span<int> s0, Span<int> s1, Span<int> s2, int operands)
    {
        int rank = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1) continue;
            shape[rank] = shape[i];
            s0[rank] = s0[i];
            if (operands > 1) s1[rank] = s1[i];
            if (operands > 2) s2[rank] = s2[i];
            rank++;
        }
        if (rank == 0) return 0;
        int w = 0;
        for (int i = 1; i < rank; i++)
        {
            bool merge = s0[w] == s0[i] * shape[i]
                && (operands < 2 || s1[w] == s1[i] * shape[i])
                && (operands < 3 || s2[w] == s2[i] * shape[i]);
            if (merge)
            {
                shape[w] *= shape[i];
                s0[w] = s0[i];
                if (operands > 1) s1[w] = s1[i];
                if (operands > 2) s2[w] = s2[i];
            }
            else
            {
                w++;
                shape[w] = shape[i];
                s0[w] = s0[i];
                if (operands > 1) s1[w] = s1[i];
                if (operands > 2) s2[w] = s2[i];
            }
        }
        return w + 1;
    }

    /// <summary>Copies a strided source into a contiguous destination span (row-major order).</summary>
    public static void CopyToContiguous<T>(T[] src, int srcOffset, ReadOnlySpan<int> srcShape, ReadOnlySpan<int> srcStrides, Span<T> dst)
    {
        int r0 = srcShape.Length;
        Span<int> shape = stackalloc int[Math.Max(r0, 1)];
        Span<int> ss = stackalloc int[Math.Max(r0, 1)];
        Span<int> ds = stackalloc int[Math.Max(r0, 1)];
        srcShape.CopyTo(shape);
        srcStrides.CopyTo(ss);
        int acc = 1;
        for (int i = r0 - 1; i >= 0; i--) { ds[i] = acc; acc *= Math.Max(srcShape[i], 1); }
        int rank = Coalesce(shape[..r0], ss, ds, default, 2);
        if (dst.Length == 0) return;
        if (rank == 0) { dst[0] = src[srcOffset]; return; }
        int inner = shape[rank - 1], sIn = ss[rank - 1];
        Span<int> idx = stackalloc int[rank];
        idx.Clear();
        int so = srcOffset, d = 0;
        int rows = dst.Length / inner;
        for (int r = 0; r < rows; r++)
        {
            if (sIn == 1) src.AsSpan(so, inner).CopyTo(dst.Slice(d, inner));
            else if (sIn == 0) dst.Slice(d, inner).Fill(src[so]);   // a broadcast dimension, such as sum's gradient
            else for (int j = 0, o = so; j < inner; j++, o += sIn) dst[d + j] = src[o];
            d += inner;
            for (int k = rank - 2; k >= 0; k--)
            {
                if (++idx[k] < shape[k]) { so += ss[k]; break; }
                so -= (shape[k] - 1) * ss[k];
                idx[k] = 0;
            }
        }
    }

    /// <summary>Copies a contiguous source span into a strided destination.</summary>
    public static void CopyFromContiguous<T>(ReadOnlySpan<T> src, T[] dst, int dstOffset, ReadOnlySpan<int> dstShape, ReadOnlySpan<int> dstStrides)
    {
        int r0 = dstShape.Length;
        Span<int> shape = stackalloc int[Math.Max(r0, 1)];
        Span<int> ds = stackalloc int[Math.Max(r0, 1)];
        Span<int> ss = stackalloc int[Math.Max(r0, 1)];
        dstShape.CopyTo(shape);
        dstStrides.CopyTo(ds);
        int acc = 1;
        for (int i = r0 - 1; i >= 0; i--) { ss[i] = acc; acc *= Math.Max(dstShape[i], 1); }
        int rank = Coalesce(shape[..r0], ds, ss, default, 2);
        if (src.Length == 0) return;
        if (rank == 0) { dst[dstOffset] = src[0]; return; }
        int inner = shape[rank - 1], dIn = ds[rank - 1];
        Span<int> idx = stackalloc int[rank];
        idx.Clear();
        int o = dstOffset, s = 0;
        int rows = src.Length / inner;
        for (int r = 0; r < rows; r++)
        {
            if (dIn == 1) src.Slice(s, inner).CopyTo(dst.AsSpan(o, inner));
            else for (int j = 0, p = o; j < inner; j++, p += dIn) dst[p] = src[s + j];
            s += inner;
            for (int k = rank - 2; k >= 0; k--)
            {
                if (++idx[k] < shape[k]) { o += ds[k]; break; }
                o -= (shape[k] - 1) * ds[k];
                idx[k] = 0;
            }
        }
    }
}
