using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels.Gemm;

/// <summary>AVX-512 register tile: up to 16 rows × 16 columns of C in 16 zmm accumulators.</summary>
/// <remarks>
/// Per k step p: one load of the B row b[p·bStride .. +16) and, for each row i, c_i += a[p·aStride + i]·b with the
/// A element broadcast (the JIT folds it into the FMA as an embedded {1to16} operand). 16 accumulators + 1 B vector
/// fit the 32 zmm registers without spilling, and 16 independent FMAs per step keep Zen 4's two 256-bit FMA pipes
/// busy. The JIT compiles <c>Tile</c> once per row count, so edge tiles run exactly as many FMAs as they have rows.
/// </remarks>
internal readonly struct SgemmKernelAvx512 : ISgemmMicroKernel
{
    /// <inheritdoc/>
    public static int Mr => 16;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Multiply(int rows, int kc, float* a, nint aStride, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 16: Tile<Rows16>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 15: Tile<Rows15>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 14: Tile<Rows14>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 13: Tile<Rows13>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 12: Tile<Rows12>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 11: Tile<Rows11>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 10: Tile<Rows10>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 9: Tile<Rows9>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 8: Tile<Rows8>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 7: Tile<Rows7>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 6: Tile<Rows6>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 5: Tile<Rows5>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 4: Tile<Rows4>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 3: Tile<Rows3>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 2: Tile<Rows2>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 1: Tile<Rows1>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "SgemmKernelAvx512: a tile has 1..16 rows.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile<TRows>(int kc, float* a, nint aStride, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IRowCount
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> bRow = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), bRow, c0);
            if (TRows.Value > 1) c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[1]), bRow, c1);
            if (TRows.Value > 2) c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[2]), bRow, c2);
            if (TRows.Value > 3) c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[3]), bRow, c3);
            if (TRows.Value > 4) c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[4]), bRow, c4);
            if (TRows.Value > 5) c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[5]), bRow, c5);
            if (TRows.Value > 6) c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[6]), bRow, c6);
            if (TRows.Value > 7) c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[7]), bRow, c7);
            if (TRows.Value > 8) c8 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[8]), bRow, c8);
            if (TRows.Value > 9) c9 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[9]), bRow, c9);
            if (TRows.Value > 10) c10 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[10]), bRow, c10);
            if (TRows.Value > 11) c11 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[11]), bRow, c11);
            if (TRows.Value > 12) c12 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[12]), bRow, c12);
            if (TRows.Value > 13) c13 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[13]), bRow, c13);
            if (TRows.Value > 14) c14 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[14]), bRow, c14);
            if (TRows.Value > 15) c15 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[15]), bRow, c15);
            a += aStride;
            b += bStride;
        }

        // Each row of C: α·acc, plus β·C unless β = 0 (then C is never read).
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool readC = beta != 0;
        Store(c0, c, va, vb, readC);
        if (TRows.Value > 1) Store(c1, c + 1 * ldc, va, vb, readC);
        if (TRows.Value > 2) Store(c2, c + 2 * ldc, va, vb, readC);
        if (TRows.Value > 3) Store(c3, c + 3 * ldc, va, vb, readC);
        if (TRows.Value > 4) Store(c4, c + 4 * ldc, va, vb, readC);
        if (TRows.Value > 5) Store(c5, c + 5 * ldc, va, vb, readC);
        if (TRows.Value > 6) Store(c6, c + 6 * ldc, va, vb, readC);
        if (TRows.Value > 7) Store(c7, c + 7 * ldc, va, vb, readC);
        if (TRows.Value > 8) Store(c8, c + 8 * ldc, va, vb, readC);
        if (TRows.Value > 9) Store(c9, c + 9 * ldc, va, vb, readC);
        if (TRows.Value > 10) Store(c10, c + 10 * ldc, va, vb, readC);
        if (TRows.Value > 11) Store(c11, c + 11 * ldc, va, vb, readC);
        if (TRows.Value > 12) Store(c12, c + 12 * ldc, va, vb, readC);
        if (TRows.Value > 13) Store(c13, c + 13 * ldc, va, vb, readC);
        if (TRows.Value > 14) Store(c14, c + 14 * ldc, va, vb, readC);
        if (TRows.Value > 15) Store(c15, c + 15 * ldc, va, vb, readC);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void MultiplyRowMajorA(int rows, int kc, float* a, nint lda, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 16: TileRowMajorA<Rows16>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 15: TileRowMajorA<Rows15>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 14: TileRowMajorA<Rows14>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 13: TileRowMajorA<Rows13>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 12: TileRowMajorA<Rows12>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 11: TileRowMajorA<Rows11>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 10: TileRowMajorA<Rows10>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 9: TileRowMajorA<Rows9>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 8: TileRowMajorA<Rows8>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 7: TileRowMajorA<Rows7>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 6: TileRowMajorA<Rows6>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 5: TileRowMajorA<Rows5>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 4: TileRowMajorA<Rows4>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 3: TileRowMajorA<Rows3>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 2: TileRowMajorA<Rows2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 1: TileRowMajorA<Rows1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "SgemmKernelAvx512: a tile has 1..16 rows.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TileRowMajorA<TRows>(int kc, float* a, nint lda, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IRowCount
    {
        // Row i of A is reached as base[offset] with one base per 4 rows and offsets 0, lda, 2·lda, 3·lda,
        // which x86 addressing forms from a register and a scale, so the rows cost no extra pointer updates.
        float* a0 = a, a4 = a + 4 * lda, a8 = a + 8 * lda, a12 = a + 12 * lda;
        nint lda2 = 2 * lda, lda3 = 3 * lda;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> bRow = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[0]), bRow, c0);
            if (TRows.Value > 1) c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[lda]), bRow, c1);
            if (TRows.Value > 2) c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[lda2]), bRow, c2);
            if (TRows.Value > 3) c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[lda3]), bRow, c3);
            if (TRows.Value > 4) c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[0]), bRow, c4);
            if (TRows.Value > 5) c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[lda]), bRow, c5);
            if (TRows.Value > 6) c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[lda2]), bRow, c6);
            if (TRows.Value > 7) c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[lda3]), bRow, c7);
            if (TRows.Value > 8) c8 = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[0]), bRow, c8);
            if (TRows.Value > 9) c9 = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[lda]), bRow, c9);
            if (TRows.Value > 10) c10 = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[lda2]), bRow, c10);
            if (TRows.Value > 11) c11 = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[lda3]), bRow, c11);
            if (TRows.Value > 12) c12 = Avx512F.FusedMultiplyAdd(Vector512.Create(a12[0]), bRow, c12);
            if (TRows.Value > 13) c13 = Avx512F.FusedMultiplyAdd(Vector512.Create(a12[lda]), bRow, c13);
            if (TRows.Value > 14) c14 = Avx512F.FusedMultiplyAdd(Vector512.Create(a12[lda2]), bRow, c14);
            if (TRows.Value > 15) c15 = Avx512F.FusedMultiplyAdd(Vector512.Create(a12[lda3]), bRow, c15);
            a0++;
            a4++;
            a8++;
            a12++;
            b += bStride;
        }

        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool readC = beta != 0;
        Store(c0, c, va, vb, readC);
        if (TRows.Value > 1) Store(c1, c + 1 * ldc, va, vb, readC);
        if (TRows.Value > 2) Store(c2, c + 2 * ldc, va, vb, readC);
        if (TRows.Value > 3) Store(c3, c + 3 * ldc, va, vb, readC);
        if (TRows.Value > 4) Store(c4, c + 4 * ldc, va, vb, readC);
        if (TRows.Value > 5) Store(c5, c + 5 * ldc, va, vb, readC);
        if (TRows.Value > 6) Store(c6, c + 6 * ldc, va, vb, readC);
        if (TRows.Value > 7) Store(c7, c + 7 * ldc, va, vb, readC);
        if (TRows.Value > 8) Store(c8, c + 8 * ldc, va, vb, readC);
        if (TRows.Value > 9) Store(c9, c + 9 * ldc, va, vb, readC);
        if (TRows.Value > 10) Store(c10, c + 10 * ldc, va, vb, readC);
        if (TRows.Value > 11) Store(c11, c + 11 * ldc, va, vb, readC);
        if (TRows.Value > 12) Store(c12, c + 12 * ldc, va, vb, readC);
        if (TRows.Value > 13) Store(c13, c + 13 * ldc, va, vb, readC);
        if (TRows.Value > 14) Store(c14, c + 14 * ldc, va, vb, readC);
        if (TRows.Value > 15) Store(c15, c + 15 * ldc, va, vb, readC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(Vector512<float> acc, float* c, Vector512<float> alpha, Vector512<float> beta, bool readC) =>
        Vector512.Store(readC ? Avx512F.FusedMultiplyAdd(beta, Vector512.Load(c), alpha * acc) : alpha * acc, c);
}
