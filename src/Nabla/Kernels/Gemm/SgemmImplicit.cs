using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Gemm;

/// <summary>
/// C = op(A)·B on one thread, with A a plain matrix and B and C given by an <see cref="IPanelSource"/> and an
/// <see cref="ITileSink"/>: the BLIS loop nest of <see cref="SgemmPacked"/> (jc → pc → ic → jr → ir, the same block
/// sizes and micro-kernels) where "pack B" and "store C" are the operands' own code.
/// </summary>
/// <remarks>
/// This is the implicit GEMM of convolution: the packer gathers B's panels straight from the (padded) images and
/// the sink writes C into the output layout or scatter-adds it (col2im), so the column matrix, C·kH·kW × N·P and
/// often larger than the last-level cache, is never written to memory and read back. Over several k blocks the
/// sink is handed each block's partial product with <c>accumulate</c> set after the first.
/// </remarks>
internal static unsafe class SgemmImplicit
{
    private const int Nr = 16;
    private const int KcMax = 384;
    private const int McMax = 96;
    private const int NcMax = 4096;
    private const int PanelSlack = 16;

    /// <summary>C (m × n) = op(A)·B (k deep); op(A) is A [m, k] (row stride lda) or, when transA, A stored [k, m].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TKernel, TSource, TSink>(bool transA, int m, int n, int k, float* a, nint lda,
        ref TSource b, ref TSink c)
        where TKernel : struct, ISgemmMicroKernel
        where TSource : struct, IPanelSource
        where TSink : struct, ITileSink
    {
        if (m <= 0 || n <= 0 || k <= 0) return;
        int mr = TKernel.Mr;
        int kc = CeilDiv(k, CeilDiv(k, KcMax));
        int mc = RoundUp(CeilDiv(m, CeilDiv(m, McMax)), mr);
        int nc = RoundUp(CeilDiv(n, CeilDiv(n, NcMax)), Nr);
        float* packedA = PackBuffers.PackedA(McMax * KcMax + PanelSlack);
        float* packedB = PackBuffers.PackedB(nc * kc + PanelSlack);
        float* tile = stackalloc float[16 * Nr];

        for (int jc = 0; jc < n; jc += nc)
        {
            int ncur = Math.Min(nc, n - jc);
            for (int pc = 0; pc < k; pc += kc)
            {
                int kcur = Math.Min(kc, k - pc);
                bool accumulate = pc > 0;
                b.Pack(pc, jc, kcur, ncur, packedB);
                for (int ic = 0; ic < m; ic += mc)
                {
                    int mcur = Math.Min(mc, m - ic);
                    PackA(transA, a, lda, ic, pc, mcur, kcur, mr, packedA);
                    for (int jr = 0; jr < ncur; jr += Nr)
                    {
                        int nr = Math.Min(Nr, ncur - jr);
                        float* bPanel = packedB + (nint)jr * kcur;
                        for (int ir = 0; ir < mcur; ir += mr)
                        {
                            int rows = Math.Min(mr, mcur - ir);
                            float* aPanel = packedA + (nint)ir * kcur;
                            nint ld = 0;
                            float* direct = nr == Nr ? c.Direct(ic + ir, jc + jr, out ld) : null;
                            if (direct is not null)
                            {
                                TKernel.Multiply(rows, kcur, aPanel, mr, bPanel, Nr, direct, ld, 1f, accumulate ? 1f : 0f);
                            }
                            else
                            {
                                TKernel.Multiply(rows, kcur, aPanel, mr, bPanel, Nr, tile, Nr, 1f, 0f);
                                c.Store(tile, ic + ir, jc + jr, rows, nr, accumulate);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Packs op(A)[ic.., pc..] (mcur × kcur) into Mr-row micro-panels, as <see cref="SgemmPacked"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, float* a, nint lda, int ic, int pc, int mcur, int kcur, int mr, float* dst)
    {
        for (int ir = 0; ir < mcur; ir += mr)
        {
            int count = Math.Min(mr, mcur - ir);
            float* panel = dst + (nint)ir * kcur;
            if (transA)
                SgemmPacking.PackDirect(a + pc * lda + ic + ir, lda, count, mr, kcur, panel);
            else
                SgemmPacking.PackTransposed(a + (ic + ir) * lda + pc, lda, count, mr, kcur, panel);
        }
    }

    private static int CeilDiv(int x, int y) => (x + y - 1) / y;

    private static int RoundUp(int x, int multiple) => CeilDiv(x, multiple) * multiple;
}
