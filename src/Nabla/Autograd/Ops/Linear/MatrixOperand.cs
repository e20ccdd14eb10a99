using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>How GEMM reads a batch of matrices from a strided tensor without copying: row-major (ld = row
/// stride) or transposed (column-major, ld = column stride), and one element stride between batch entries
/// (0 when broadcast). Layouts GEMM cannot express are copied to contiguous first.</summary>
internal readonly record struct MatrixOperand(Tensor Source, int Offset, bool Transposed, int Ld, long BatchStride)
{
    /// <summary>Reads <paramref name="t"/> [..., rows, cols] as a batch shaped <paramref name="batch"/>.</summary>
    public static MatrixOperand Of(Tensor t, int[] batch)
    {
        int rows = t.shape[^2], cols = t.shape[^1];
        var full = new int[batch.Length + 2];
        batch.CopyTo(full, 0);
        (full[^2], full[^1]) = (rows, cols);
        var e = t.ExpandRaw(full);
        if (TryLayout(e, batch.Length, rows, cols, out var op)) return op;
        var c = e.CloneRaw();
        TryLayout(c, batch.Length, rows, cols, out op);
        return op;
    }

    private static bool TryLayout(Tensor e, int batchRank, int rows, int cols, out MatrixOperand op)
    {
        op = default;
        int sr = rows == 1 ? cols : e.strides[^2];
        int sc = cols == 1 ? 1 : e.strides[^1];
        bool transposed;
        int ld;
        if (sc == 1 && sr >= cols) (transposed, ld) = (false, Math.Max(sr, 1));
        else if (sr == 1 && sc >= rows) (transposed, ld) = (true, Math.Max(sc, 1));
        else return false;
        // The batch dims must collapse to one stride (or all be broadcast).
        long batchStride = 0;
        bool first = true;
        long expected = 0;
        for (int i = batchRank - 1; i >= 0; i--)
        {
            int size = e.shape[i];
            if (size == 1) continue;
            int s = e.strides[i];
            if (first) { batchStride = s; expected = (long)s * size; first = false; continue; }
            if (batchStride == 0 && s == 0) continue;
            if (s != expected) return false;
            expected = (long)s * size;
        }
        op = new MatrixOperand(e, e.Offset, transposed, ld, batchStride);
        return true;
    }
}
