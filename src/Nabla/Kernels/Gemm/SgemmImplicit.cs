using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Gemm;

/// <summary>
/// C = op(A)·B on one thread, with A packed ahead (<see cref="PackA{TKernel, TRows}"/>) and B and C given by an
/// <see cref="IPanelSource"/> and an <see cref="ITileSink"/>: the BLIS loop nest of <see cref="SgemmPacked"/>
/// (jc → pc → ic → jr → ir, the same block sizes and micro-kernels) where "pack B" and "store C" are the operands'
/// own code.
/// </summary>
/// <remarks>
/// This is the implicit GEMM of convolution: the packer gathers B's panels straight from the (padded) images and
/// the sink writes C into the output layout, so the column matrix, C·kH·kW × N·P and often larger than the
/// last-level cache, is never written to memory and read back. Over several k blocks the sink is handed each
/// block's partial product with <c>accumulate</c> set after the first. A is packed once per thread because a
/// convolution calls the driver for a few images at a time, with the same weights.
/// </remarks>
internal static unsafe class SgemmImplicit
{
    private const int Nr = 16;
    private const int KcMax = 1024;
    private const int McMax = 96;
    private const int NcMax = 4096;
    private const int PanelSlack = 16;

    /// <summary>Floats <see cref="PackA{TKernel, TRows}"/> writes for an m × k op(A).</summary>
    public static int PackedALength<TKernel>(int m, int k) where TKernel : struct, ISgemmMicroKernel =>
        RoundUp(m, TKernel.Mr) * k + PanelSlack;

    /// <summary>Packs all of an m × k A, whose rows pack themselves (<see cref="IPackRows"/>), in the block order
    /// <see cref="Multiply"/> reads: k block pc at packed + pc·m̃ (m̃ = m rounded up to Mr rows), within it row block
    /// ic at + ic·kcur, as Mr-row micro-panels. Packed once, A serves every call with the same m and k, such as the
    /// chunks of images one thread works through.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<TKernel, TRows>(int m, int k, ref TRows a, float* packed)
        where TKernel : struct, ISgemmMicroKernel
        where TRows : struct, IPackRows
    {
        int mr = TKernel.Mr, kc = KBlock(k), mc = MBlock(m, mr), rows = RoundUp(m, mr);
        for (int pc = 0; pc < k; pc += kc)
        {
            int kcur = Math.Min(kc, k - pc);
            for (int ic = 0; ic < m; ic += mc)
            {
                int mcur = Math.Min(mc, m - ic);
                float* block = packed + (nint)pc * rows + (nint)ic * kcur;
                for (int ir = 0; ir < mcur; ir += mr)
                    a.Pack(ic + ir, Math.Min(mr, mcur - ir), pc, kcur, mr, block + (nint)ir * kcur);
            }
        }
    }

    /// <summary>C (m × n) = op(A)·B (k deep), with op(A) packed by <see cref="PackA{TKernel, TRows}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TKernel, TSource, TSink>(int m, int n, int k, float* packedA, ref TSource b, ref TSink c)
        where TKernel : struct, ISgemmMicroKernel
        where TSource : struct, IPanelSource
        where TSink : struct, ITileSink
    {
        if (m <= 0 || n <= 0 || k <= 0) return;
        int mr = TKernel.Mr, kc = KBlock(k), mc = MBlock(m, mr), rows = RoundUp(m, mr);
        int nc = RoundUp(CeilDiv(n, CeilDiv(n, NcMax)), Nr);
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
                    float* block = packedA + (nint)pc * rows + (nint)ic * kcur;
                    for (int jr = 0; jr < ncur; jr += Nr)
                    {
                        int nr = Math.Min(Nr, ncur - jr);
                        float* bPanel = packedB + (nint)jr * kcur;
                        for (int ir = 0; ir < mcur; ir += mr)
                        {
                            int tileRows = Math.Min(mr, mcur - ir);
                            float* aPanel = block + (nint)ir * kcur;
                            nint ld = 0;
                            float* direct = nr == Nr ? c.Direct(ic + ir, jc + jr, out ld) : null;
                            if (direct is not null)
                            {
                                TKernel.Multiply(tileRows, kcur, aPanel, mr, bPanel, Nr, direct, ld, 1f, accumulate ? 1f : 0f);
                            }
                            else
                            {
                                TKernel.Multiply(tileRows, kcur, aPanel, mr, bPanel, Nr, tile, Nr, 1f, 0f);
                                c.Store(tile, ic + ir, jc + jr, tileRows, nr, accumulate);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Depth of a k block: balanced, at most <see cref="KcMax"/> (k = 3136 → 4 × 784).</summary>
    private static int KBlock(int k) => CeilDiv(k, CeilDiv(k, KcMax));

    /// <summary>Rows of an m block: balanced, a multiple of Mr, at most about <see cref="McMax"/>.</summary>
    private static int MBlock(int m, int mr) => RoundUp(CeilDiv(m, CeilDiv(m, McMax)), mr);

    private static int CeilDiv(int x, int y) => (x + y - 1) / y;

    private static int RoundUp(int x, int multiple) => CeilDiv(x, multiple) * multiple;
}
