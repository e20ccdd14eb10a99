using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels.Gemm;

/// <summary>
/// The BLIS-style SGEMM driver on one thread: C = α·op(A)·op(B) + β·C through cache-sized packed blocks and a
/// register-tile micro-kernel.
/// </summary>
/// <remarks>
/// Loop order jc → pc → ic → jr → ir. A kc × nc block of op(B) is packed once per (jc, pc) into 16-column
/// micro-panels (kc = 384: one 24 KB micro-panel stays in the 32 KB L1 while the ir loop reuses it); an mc × kc
/// block of op(A) is packed per ic into Mr-row micro-panels (mc ≈ 96: ~150 KB in the 1 MB L2). nc covers n up to
/// 4096 columns, so A is packed once. Block sizes are balanced (k = 784 → 2 × 392, not 384 + 384 + 16).
/// Edge tiles: panels are zero-padded to 16 columns, micro-kernels are specialized for the exact row count, and a
/// tile narrower than 16 columns goes through a scratch tile.
/// </remarks>
internal static unsafe class SgemmPacked
{
    private const int Nr = 16;
    private const int KcMax = 384;
    private const int McMax = 96;
    private const int NcMax = 4096;

    // PackTransposed writes up to 8 floats past a panel narrower than 8.
    private const int PanelSlack = 16;

    // An unpacked operand is re-read from its strided source by each tile that uses it; past two uses, packing wins.
    private const int MaxInPlaceReuse = 2;

    /// <summary>C = α·op(A)·op(B) + β·C with the micro-kernel <typeparamref name="TKernel"/>; k ≥ 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TKernel>(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
        where TKernel : struct, ISgemmMicroKernel
    {
        // Cᵀ = op(B)ᵀ·op(A)ᵀ computes the same numbers with the roles of m and n swapped, which can waste fewer
        // FMA lanes (n = 100 fills 100 of 112 lanes, m = 64 all 64) or read the larger operand in place instead of
        // packing it; it costs a transposing store of each C element. Take it only when clearly cheaper.
        int mr = TKernel.Mr;
        double plain = Cost(transA, transB, m, n, k, mr, transposedC: false);
        double swapped = Cost(!transB, !transA, n, m, k, mr, transposedC: true);
        if (swapped < 0.9 * plain)
            Blocked<TKernel>(!transB, !transA, n, m, k, alpha, b, ldb, a, lda, beta, c, rowStride: 1, columnStride: ldc);
        else
            Blocked<TKernel>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, rowStride: ldc, columnStride: 1);
    }

    /// <summary>Whether a panel of A (reused by every 16-column tile) is cheaper read in place than packed.</summary>
    private static bool AInPlace(int n) => CeilDiv(n, Nr) <= MaxInPlaceReuse;

    /// <summary>Whether B (reused by every Mr-row tile) is cheaper read in place; only rows along the tile can be.</summary>
    private static bool BInPlace(bool transB, int m, int mr) => !transB && CeilDiv(m, mr) <= MaxInPlaceReuse;

    /// <summary>Estimated cycles of <see cref="Blocked"/> on Zen 4, to choose between C and Cᵀ.</summary>
    /// <remarks>
    /// Per k step a tile costs one cycle per row for 16 columns (one zmm FMA, or two ymm FMAs on two pipes), but at
    /// least 4 while the FMA latency is exposed; packing moves ~2.7 floats a cycle (measured: 3.4 µs for a
    /// 128 × 256 block); a transposing store through the scratch tile costs ~3 cycles an element.
    /// </remarks>
    private static double Cost(bool transA, bool transB, int m, int n, int k, int mr, bool transposedC)
    {
        int edgeRows = m % mr;
        double rowCycles = m + (edgeRows == 0 ? 0 : Math.Max(0, 4 - edgeRows));
        double kernel = rowCycles * CeilDiv(n, Nr) * k;
        double packedFloats = (AInPlace(n) ? 0 : (double)m * k) + (BInPlace(transB, m, mr) ? 0 : (double)RoundUp(n, Nr) * k);
        double stores = transposedC ? (double)m * n * CeilDiv(k, KcMax) : 0;
        return kernel + packedFloats / 2.7 + 3 * stores;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<TKernel>(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint rowStride, nint columnStride)
        where TKernel : struct, ISgemmMicroKernel
    {
        int mr = TKernel.Mr;
        int kc = CeilDiv(k, CeilDiv(k, KcMax));
        int mc = RoundUp(CeilDiv(m, CeilDiv(m, McMax)), mr);
        int nc = RoundUp(CeilDiv(n, CeilDiv(n, NcMax)), Nr);

        // Packing pays for itself through reuse: a packed A panel serves every 16-column tile, a packed B panel
        // every Mr-row tile. An operand that would be reused at most twice is read in place instead: B when stored
        // [k, n] (rows along the tile), A either way (a separate kernel broadcasts from A's rows when stored [m, k]).
        bool aInPlace = AInPlace(n);
        bool bInPlace = BInPlace(transB, m, mr);

        // A's buffer is always sized for the largest block, so a thread whose share of rows varies between calls
        // (parts are handed out first come, first served) never regrows it.
        float* packedA = aInPlace ? null : PackBuffers.PackedA(McMax * KcMax + PanelSlack);
        float* packedB = PackBuffers.PackedB((bInPlace ? Nr : nc) * kc + PanelSlack);
        float* tile = stackalloc float[16 * Nr];

        for (int jc = 0; jc < n; jc += nc)
        {
            int ncur = Math.Min(nc, n - jc);
            for (int pc = 0; pc < k; pc += kc)
            {
                int kcur = Math.Min(kc, k - pc);
                float betaNow = pc == 0 ? beta : 1f;  // later k blocks add to what the first one wrote
                if (!bInPlace) PackB(transB, b, ldb, pc, jc, kcur, ncur, packedB);
                for (int ic = 0; ic < m; ic += mc)
                {
                    int mcur = Math.Min(mc, m - ic);
                    if (!aInPlace) PackA(transA, a, lda, ic, pc, mcur, kcur, mr, packedA);
                    for (int jr = 0; jr < ncur; jr += Nr)
                    {
                        int nr = Math.Min(Nr, ncur - jr);
                        float* bPanel = packedB + (nint)jr * kcur;
                        nint bStride = Nr;
                        if (bInPlace && nr == Nr)
                        {
                            bPanel = b + pc * ldb + jc + jr;
                            bStride = ldb;
                        }
                        else if (bInPlace)
                        {
                            // The last, narrower panel is packed: the kernel reads 16 columns.
                            bPanel = packedB;
                            SgemmPacking.PackDirect(b + pc * ldb + jc + jr, ldb, nr, Nr, kcur, bPanel);
                        }

                        for (int ir = 0; ir < mcur; ir += mr)
                        {
                            int rows = Math.Min(mr, mcur - ir);
                            float* cTile = c + (ic + ir) * rowStride + (jc + jr) * columnStride;
                            bool intoC = columnStride == 1 && nr == Nr;   // full-width tile of C proper: the kernel stores it
                            float* cOut = intoC ? cTile : tile;
                            nint ldOut = intoC ? rowStride : Nr;
                            float alphaOut = intoC ? alpha : 1f, betaOut = intoC ? betaNow : 0f;
                            if (!aInPlace)
                            {
                                TKernel.Multiply(rows, kcur, packedA + (nint)ir * kcur, mr, bPanel, bStride,
                                    cOut, ldOut, alphaOut, betaOut);
                            }
                            else if (transA)
                            {
                                TKernel.Multiply(rows, kcur, a + pc * lda + ic + ir, lda, bPanel, bStride,
                                    cOut, ldOut, alphaOut, betaOut);
                            }
                            else
                            {
                                TKernel.MultiplyRowMajorA(rows, kcur, a + (ic + ir) * lda + pc, lda, bPanel, bStride,
                                    cOut, ldOut, alphaOut, betaOut);
                            }

                            if (!intoC)
                            {
                                if (rowStride == 1)
                                    StoreTileTransposed(tile, rows, nr, cTile, columnStride, alpha, betaNow);
                                else
                                    StoreTile(tile, rows, nr, cTile, rowStride, alpha, betaNow);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Packs op(A)[ic.., pc..] (mcur × kcur) into Mr-row micro-panels, each kcur·Mr floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, float* a, nint lda, int ic, int pc, int mcur, int kcur, int mr, float* dst)
    {
        for (int ir = 0; ir < mcur; ir += mr)
        {
            int count = Math.Min(mr, mcur - ir);
            float* panel = dst + (nint)ir * kcur;
            if (transA)
                SgemmPacking.PackDirect(a + pc * lda + ic + ir, lda, count, mr, kcur, panel);        // A stored [k, m]
            else
                SgemmPacking.PackTransposed(a + (ic + ir) * lda + pc, lda, count, mr, kcur, panel);  // A stored [m, k]
        }
    }

    /// <summary>Packs op(B)[pc.., jc..] (kcur × ncur) into 16-column micro-panels, each kcur·16 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transB, float* b, nint ldb, int pc, int jc, int kcur, int ncur, float* dst)
    {
        for (int jr = 0; jr < ncur; jr += Nr)
        {
            int count = Math.Min(Nr, ncur - jr);
            float* panel = dst + (nint)jr * kcur;
            if (transB)
                SgemmPacking.PackTransposed(b + (jc + jr) * ldb + pc, ldb, count, Nr, kcur, panel);  // B stored [n, k]
            else
                SgemmPacking.PackDirect(b + pc * ldb + jc + jr, ldb, count, Nr, kcur, panel);        // B stored [k, n]
        }
    }

    /// <summary>C[i·ldc + j] = α·tile[i, j] + β·C[i·ldc + j] for i &lt; rows, j &lt; columns; C not read when β = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreTile(float* tile, int rows, int columns, float* c, nint ldc, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + i * Nr;
            float* ci = c + i * ldc;
            if (beta == 0)
            {
                for (int j = 0; j < columns; j++) ci[j] = alpha * t[j];
            }
            else
            {
                for (int j = 0; j < columns; j++) ci[j] = alpha * t[j] + beta * ci[j];
            }
        }
    }

    /// <summary>C[i + j·ldc] = α·tile[i, j] + β·C[i + j·ldc] (the tile of Cᵀ, stored into C); C not read when β = 0.</summary>
    /// <remarks>8 × 8 blocks are transposed in registers so each of C's rows gets contiguous 8-float stores.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreTileTransposed(float* tile, int rows, int columns, float* c, nint ldc, float alpha,
        float beta)
    {
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        float* block = stackalloc float[64];   // the transposed 8 × 8 block: row j holds tile[i0.., j0 + j]
        for (int i0 = 0; i0 < rows; i0 += 8)
        {
            int count = Math.Min(8, rows - i0);
            for (int j0 = 0; j0 < columns; j0 += 8)
            {
                // Rows past `rows` hold stale scratch: they are transposed along but never stored.
                float* t = tile + i0 * Nr + j0;
                Vector256<float> t0 = Vector256.Load(t), t1 = Vector256.Load(t + Nr);
                Vector256<float> t2 = Vector256.Load(t + 2 * Nr), t3 = Vector256.Load(t + 3 * Nr);
                Vector256<float> t4 = Vector256.Load(t + 4 * Nr), t5 = Vector256.Load(t + 5 * Nr);
                Vector256<float> t6 = Vector256.Load(t + 6 * Nr), t7 = Vector256.Load(t + 7 * Nr);
                SgemmPacking.Transpose8x8(ref t0, ref t1, ref t2, ref t3, ref t4, ref t5, ref t6, ref t7);
                Vector256.Store(t0, block);
                Vector256.Store(t1, block + 8);
                Vector256.Store(t2, block + 16);
                Vector256.Store(t3, block + 24);
                Vector256.Store(t4, block + 32);
                Vector256.Store(t5, block + 40);
                Vector256.Store(t6, block + 48);
                Vector256.Store(t7, block + 56);
                int jEnd = Math.Min(8, columns - j0);
                for (int j = 0; j < jEnd; j++)
                {
                    float* cj = c + (j0 + j) * ldc + i0;
                    float* bj = block + 8 * j;
                    if (count == 8)
                    {
                        Vector256<float> scaled = va * Vector256.Load(bj);
                        Vector256.Store(beta == 0 ? scaled : Vector256.FusedMultiplyAdd(vb, Vector256.Load(cj), scaled), cj);
                    }
                    else
                    {
                        for (int i = 0; i < count; i++) cj[i] = beta == 0 ? alpha * bj[i] : alpha * bj[i] + beta * cj[i];
                    }
                }
            }
        }
    }

    private static int CeilDiv(int x, int y) => (x + y - 1) / y;

    private static int RoundUp(int x, int multiple) => CeilDiv(x, multiple) * multiple;
}
