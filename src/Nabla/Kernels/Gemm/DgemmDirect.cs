using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels.Gemm;

/// <summary>
/// Float64 C = α·op(A)·op(B) + β·C by row-wise axpy over cache blocks: correct and plainly vectorized, meant for
/// gradient checks rather than speed.
/// </summary>
/// <remarks>
/// C is first scaled by β (zeroed, unread, when β = 0). Then for each kc × nc block of op(B), held contiguous
/// (copied from Bᵀ when transB), C[i, j..] += (α·op(A)[i, p])·op(B)[p, j..] for every row i. The block
/// (128 × 256 doubles = 256 KB) stays in L2 while all rows of C pass over it.
/// </remarks>
internal static unsafe class DgemmDirect
{
    private const int Kc = 128;
    private const int Nc = 256;

    /// <summary>C = α·op(A)·op(B) + β·C; <paramref name="simd"/> picks Vector256 loops over scalar ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(bool transA, bool transB, int m, int n, int k, double alpha,
        double* a, nint lda, double* b, nint ldb, double beta, double* c, nint ldc, bool simd)
    {
        for (int i = 0; i < m; i++) ScaleRow(c + i * ldc, n, beta);
        if (alpha == 0 || k == 0) return;

        double* packed = transB ? PackBuffers.PackedDouble(Kc * Nc) : null;
        for (int jc = 0; jc < n; jc += Nc)
        {
            int ncur = Math.Min(Nc, n - jc);
            for (int pc = 0; pc < k; pc += Kc)
            {
                int kcur = Math.Min(Kc, k - pc);
                double* block;   // op(B)[pc.., jc..] with row stride ldBlock
                nint ldBlock;
                if (transB)
                {
                    for (int p = 0; p < kcur; p++)
                    {
                        for (int j = 0; j < ncur; j++) packed[p * ncur + j] = b[(jc + j) * ldb + pc + p];
                    }

                    block = packed;
                    ldBlock = ncur;
                }
                else
                {
                    block = b + pc * ldb + jc;
                    ldBlock = ldb;
                }

                for (int i = 0; i < m; i++)
                {
                    double* ci = c + i * ldc + jc;
                    for (int p = 0; p < kcur; p++)
                    {
                        double aip = transA ? a[(pc + p) * lda + i] : a[i * lda + pc + p];
                        Axpy(alpha * aip, block + p * ldBlock, ci, ncur, simd);
                    }
                }
            }
        }
    }

    private static void ScaleRow(double* row, int n, double beta)
    {
        if (beta == 1) return;
        if (beta == 0)
        {
            new Span<double>(row, n).Clear();
            return;
        }

        for (int j = 0; j < n; j++) row[j] *= beta;
    }

    /// <summary>y[0..n) += s·x[0..n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(double s, double* x, double* y, int n, bool simd)
    {
        int j = 0;
        if (simd && Vector256.IsHardwareAccelerated)
        {
            Vector256<double> vs = Vector256.Create(s);
            for (; j + 4 <= n; j += 4)
                Vector256.Store(Vector256.FusedMultiplyAdd(vs, Vector256.Load(x + j), Vector256.Load(y + j)), y + j);
        }

        for (; j < n; j++) y[j] += s * x[j];
    }
}
