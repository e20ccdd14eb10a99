using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Gemm;

/// <summary>One (batched) SGEMM call with its arguments as pointers: what the threads of a parallel call share.</summary>
/// <remarks>The caller keeps every operand pinned until all parts have returned.</remarks>
internal unsafe struct SgemmJob
{
    public bool TransA, TransB;
    public int M, N, K, Batch;
    public float Alpha, Beta;
    public float* A, B, C;
    public nint Lda, Ldb, Ldc;
    public long StrideA, StrideB, StrideC;
    public SimdLevel Level;
    public GemmSplit Split;

    /// <summary>Matrix <paramref name="index"/> of the batch, all of it, on this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void RunMatrix(int index) =>
        RunBlock(A + index * StrideA, B + index * StrideB, C + index * StrideC, M, N);

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/>: a band of rows or columns, or some matrices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void RunPart(int part, int parts)
    {
        switch (Split)
        {
            case GemmSplit.Batch:
                int first = (int)((long)Batch * part / parts), end = (int)((long)Batch * (part + 1) / parts);
                for (int index = first; index < end; index++) RunMatrix(index);
                break;
            case GemmSplit.Rows:
                int r0 = Boundary(M, part, parts), r1 = Boundary(M, part + 1, parts);
                if (r1 > r0) RunBlock(TransA ? A + r0 : A + r0 * Lda, B, C + r0 * Ldc, r1 - r0, N);
                break;
            default:
                int c0 = Boundary(N, part, parts), c1 = Boundary(N, part + 1, parts);
                if (c1 > c0) RunBlock(A, TransB ? B + c0 * Ldb : B + c0, C + c0, M, c1 - c0);
                break;
        }
    }

    /// <summary>Start of band <paramref name="part"/>: bands are whole 16-row/column tiles, the last takes the rest.</summary>
    private static int Boundary(int size, int part, int parts) =>
        part >= parts ? size : (int)((long)(size + 15) / 16 * part / parts) * 16;

    /// <summary>C[0..m, 0..n) of one matrix on this thread: scalar, direct (tiny) or packed, by level and size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private readonly void RunBlock(float* a, float* b, float* c, int m, int n)
    {
        if (Level != SimdLevel.Scalar && (m == 1 || n == 1))
            Sgemv.Multiply(TransA, TransB, m, n, K, Alpha, a, Lda, b, Ldb, Beta, c, Ldc, simd: true);
        else if (Level == SimdLevel.Scalar || (long)m * n * K < Gemm.DirectMaxWork)
            SgemmDirect.Multiply(TransA, TransB, m, n, K, Alpha, a, Lda, b, Ldb, Beta, c, Ldc, simd: Level != SimdLevel.Scalar);
        else if (Level == SimdLevel.Avx512)
            SgemmPacked.Multiply<SgemmKernelAvx512>(TransA, TransB, m, n, K, Alpha, a, Lda, b, Ldb, Beta, c, Ldc);
        else
            SgemmPacked.Multiply<SgemmKernelAvx2>(TransA, TransB, m, n, K, Alpha, a, Lda, b, Ldb, Beta, c, Ldc);
    }

    /// <summary>Entry for <see cref="KernelThreads.Run"/>: state points at an <see cref="SgemmJob"/>.</summary>
    public static void RunPart(void* state, int part, int parts) => ((SgemmJob*)state)->RunPart(part, parts);
}
