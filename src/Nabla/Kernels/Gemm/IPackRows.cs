namespace Nabla.Kernels.Gemm;

/// <summary>Rows of an A that pack themselves into micro-panels for <see cref="SgemmImplicit.PackA{TKernel, TRows}"/>.</summary>
internal unsafe interface IPackRows
{
    /// <summary>panel[p·mr + i] = A[row + i, pc + p] for i &lt; count, p &lt; depth, and 0 for count ≤ i &lt; mr.</summary>
    void Pack(int row, int count, int pc, int depth, int mr, float* panel);
}

/// <summary>op(A) of a dense A: [m, k] with row stride lda, or stored [k, m] when transA.</summary>
internal readonly unsafe struct DenseRows(bool transA, float* a, nint lda) : IPackRows
{
    public void Pack(int row, int count, int pc, int depth, int mr, float* panel)
    {
        if (transA) SgemmPacking.PackDirect(a + pc * lda + row, lda, count, mr, depth, panel);
        else SgemmPacking.PackTransposed(a + row * lda + pc, lda, count, mr, depth, panel);
    }
}

/// <summary>An A [m, k] whose columns come in runs of <paramref name="run"/>, run r at a + r·<paramref name="runStride"/>
/// with rows lda apart: a convolution's dY_g read in place from dy [N, C, P] (run = P, runStride = C·P, lda = P), so
/// it is not first copied into a [Mg, N·P] matrix.</summary>
internal readonly unsafe struct RowRuns(float* a, nint lda, int run, nint runStride) : IPackRows
{
    public void Pack(int row, int count, int pc, int depth, int mr, float* panel)
    {
        for (int p = pc; p < pc + depth;)
        {
            int r = p / run, q = p - r * run, length = Math.Min(pc + depth - p, run - q);
            SgemmPacking.PackTransposed(a + r * runStride + row * lda + q, lda, count, mr, length, panel + (nint)(p - pc) * mr);
            p += length;
        }
    }
}
