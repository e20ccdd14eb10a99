using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels.Gemm;

/// <summary>
/// C = α·op(A)·op(B) + β·C one row of C at a time, in plain loops: the scalar path (<c>simd: false</c>), and the
/// path for the tiniest products (see <see cref="Gemm.DirectMaxWork"/>).
/// </summary>
/// <remarks>
/// Row i of C is first scaled by β (zeroed, unread, when β = 0). Then with B stored [k, n] it gathers
/// C[i, ·] += (α·op(A)[i, p])·B[p, ·] over p (unit-stride axpy); with B stored [n, k] it takes
/// C[i, j] += α·(op(A)[i, ·] · B[j, ·]) (unit-stride dot products when A is stored [m, k]).
/// </remarks>
internal static unsafe class SgemmDirect
{
    /// <summary>C = α·op(A)·op(B) + β·C; <paramref name="simd"/> picks Vector256 loops over scalar ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc, bool simd)
    {
        for (int i = 0; i < m; i++)
        {
            float* ci = c + i * ldc;
            ScaleRow(ci, n, beta, simd);
            if (!transB)
            {
                for (int p = 0; p < k; p++)
                {
                    float aip = transA ? a[p * lda + i] : a[i * lda + p];
                    Sgemv.Axpy(alpha * aip, b + p * ldb, ci, n, simd);
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    float dot = transA ? StridedDot(a + i, lda, b + j * ldb, k) : Sgemv.Dot(a + i * lda, b + j * ldb, k, simd);
                    ci[j] += alpha * dot;
                }
            }
        }
    }

    /// <summary>C = β·C for an m × n matrix; β = 0 writes zeros without reading (so NaN garbage is cleared).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(int m, int n, float beta, float* c, nint ldc)
    {
        for (int i = 0; i < m; i++) ScaleRow(c + i * ldc, n, beta, simd: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleRow(float* row, int n, float beta, bool simd)
    {
        if (beta == 1) return;
        if (beta == 0)
        {
            new Span<float>(row, n).Clear();
            return;
        }

        int j = 0;
        if (simd && Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vb = Vector256.Create(beta);
            for (; j + 8 <= n; j += 8) Vector256.Store(vb * Vector256.Load(row + j), row + j);
        }

        for (; j < n; j++) row[j] *= beta;
    }

    /// <summary>Σ_p x[p·stride]·y[p] over p &lt; k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float StridedDot(float* x, nint stride, float* y, int k)
    {
        float sum = 0;
        for (int p = 0; p < k; p++) sum += x[p * stride] * y[p];
        return sum;
    }
}
