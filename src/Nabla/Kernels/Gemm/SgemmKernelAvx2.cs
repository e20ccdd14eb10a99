using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels.Gemm;

/// <summary>AVX2 register tile: up to 6 rows × 16 columns of C in 12 ymm accumulators.</summary>
/// <remarks>
/// Per k step p: two 8-wide loads of the B row b[p·bStride .. +16) and, for each row i, c_i += a[p·aStride + i]·b with
/// the A element broadcast. 12 accumulators + 2 B vectors + 1 broadcast = 15 of the 16 ymm registers (8 rows would
/// spill). The JIT compiles <c>Tile</c> once per row count, so edge tiles run exactly as many FMAs as they have rows.
/// </remarks>
internal readonly struct SgemmKernelAvx2 : ISgemmMicroKernel
{
    /// <inheritdoc/>
    public static int Mr => 6;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Multiply(int rows, int kc, float* a, nint aStride, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 6: Tile<Rows6>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 5: Tile<Rows5>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 4: Tile<Rows4>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 3: Tile<Rows3>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 2: Tile<Rows2>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            case 1: Tile<Rows1>(kc, a, aStride, b, bStride, c, ldc, alpha, beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "SgemmKernelAvx2: a tile has 1..6 rows.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile<TRows>(int kc, float* a, nint aStride, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IRowCount
    {
        Vector256<float> c0Low = default, c0High = default, c1Low = default, c1High = default, c2Low = default, c2High = default;
        Vector256<float> c3Low = default, c3High = default, c4Low = default, c4High = default, c5Low = default, c5High = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> bLow = Vector256.Load(b), bHigh = Vector256.Load(b + 8);
            Update(a[0], bLow, bHigh, ref c0Low, ref c0High);
            if (TRows.Value > 1) Update(a[1], bLow, bHigh, ref c1Low, ref c1High);
            if (TRows.Value > 2) Update(a[2], bLow, bHigh, ref c2Low, ref c2High);
            if (TRows.Value > 3) Update(a[3], bLow, bHigh, ref c3Low, ref c3High);
            if (TRows.Value > 4) Update(a[4], bLow, bHigh, ref c4Low, ref c4High);
            if (TRows.Value > 5) Update(a[5], bLow, bHigh, ref c5Low, ref c5High);
            a += aStride;
            b += bStride;
        }

        // Each row of C: α·acc, plus β·C unless β = 0 (then C is never read).
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        bool readC = beta != 0;
        Store(c0Low, c0High, c, va, vb, readC);
        if (TRows.Value > 1) Store(c1Low, c1High, c + 1 * ldc, va, vb, readC);
        if (TRows.Value > 2) Store(c2Low, c2High, c + 2 * ldc, va, vb, readC);
        if (TRows.Value > 3) Store(c3Low, c3High, c + 3 * ldc, va, vb, readC);
        if (TRows.Value > 4) Store(c4Low, c4High, c + 4 * ldc, va, vb, readC);
        if (TRows.Value > 5) Store(c5Low, c5High, c + 5 * ldc, va, vb, readC);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void MultiplyRowMajorA(int rows, int kc, float* a, nint lda, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 6: TileRowMajorA<Rows6>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 5: TileRowMajorA<Rows5>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 4: TileRowMajorA<Rows4>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 3: TileRowMajorA<Rows3>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 2: TileRowMajorA<Rows2>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            case 1: TileRowMajorA<Rows1>(kc, a, lda, b, bStride, c, ldc, alpha, beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "SgemmKernelAvx2: a tile has 1..6 rows.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TileRowMajorA<TRows>(int kc, float* a, nint lda, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta)
        where TRows : struct, IRowCount
    {
        // Row i of A is reached as base[offset] with one base per 3 rows and offsets 0, lda, 2·lda,
        // which x86 addressing forms from a register and a scale, so the rows cost no extra pointer updates.
        float* a0 = a, a3 = a + 3 * lda;
        nint lda2 = 2 * lda;
        Vector256<float> c0Low = default, c0High = default, c1Low = default, c1High = default, c2Low = default, c2High = default;
        Vector256<float> c3Low = default, c3High = default, c4Low = default, c4High = default, c5Low = default, c5High = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> bLow = Vector256.Load(b), bHigh = Vector256.Load(b + 8);
            Update(a0[0], bLow, bHigh, ref c0Low, ref c0High);
            if (TRows.Value > 1) Update(a0[lda], bLow, bHigh, ref c1Low, ref c1High);
            if (TRows.Value > 2) Update(a0[lda2], bLow, bHigh, ref c2Low, ref c2High);
            if (TRows.Value > 3) Update(a3[0], bLow, bHigh, ref c3Low, ref c3High);
            if (TRows.Value > 4) Update(a3[lda], bLow, bHigh, ref c4Low, ref c4High);
            if (TRows.Value > 5) Update(a3[lda2], bLow, bHigh, ref c5Low, ref c5High);
            a0++;
            a3++;
            b += bStride;
        }

        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        bool readC = beta != 0;
        Store(c0Low, c0High, c, va, vb, readC);
        if (TRows.Value > 1) Store(c1Low, c1High, c + 1 * ldc, va, vb, readC);
        if (TRows.Value > 2) Store(c2Low, c2High, c + 2 * ldc, va, vb, readC);
        if (TRows.Value > 3) Store(c3Low, c3High, c + 3 * ldc, va, vb, readC);
        if (TRows.Value > 4) Store(c4Low, c4High, c + 4 * ldc, va, vb, readC);
        if (TRows.Value > 5) Store(c5Low, c5High, c + 5 * ldc, va, vb, readC);
    }

    /// <summary>c += a·b over the 16 columns, as two 8-wide halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float a, Vector256<float> bLow, Vector256<float> bHigh, ref Vector256<float> cLow, ref Vector256<float> cHigh)
    {
        Vector256<float> broadcast = Vector256.Create(a);
        cLow = Fma.MultiplyAdd(broadcast, bLow, cLow);
        cHigh = Fma.MultiplyAdd(broadcast, bHigh, cHigh);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(Vector256<float> low, Vector256<float> high, float* c, Vector256<float> alpha, Vector256<float> beta, bool readC)
    {
        Vector256.Store(readC ? Fma.MultiplyAdd(beta, Vector256.Load(c), alpha * low) : alpha * low, c);
        Vector256.Store(readC ? Fma.MultiplyAdd(beta, Vector256.Load(c + 8), alpha * high) : alpha * high, c + 8);
    }
}
