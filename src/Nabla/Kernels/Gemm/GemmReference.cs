namespace Nabla.Kernels.Gemm;

/// <summary>C = α·op(A)·op(B) + β·C by the textbook triple loop: the oracle the fast kernels are tested against.</summary>
/// <remarks>Same arguments and layout as <c>Gemm.Sgemm</c>. Sums run in double, so the oracle's own
/// rounding error is far below the float kernels'. β = 0 overwrites C without reading it.</remarks>
internal static class GemmReference
{
    /// <summary>Float32: C[i,j] = α·Σ_p op(A)[i,p]·op(B)[p,j] + β·C[i,j].</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double aip = transA ? a[p * lda + i] : a[i * lda + p];
                    double bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += aip * bpj;
                }

                double result = alpha * sum;
                if (beta != 0) result += beta * (double)c[i * ldc + j];
                c[i * ldc + j] = (float)result;
            }
        }
    }

    /// <summary>Float64: C[i,j] = α·Σ_p op(A)[i,p]·op(B)[p,j] + β·C[i,j].</summary>
    public static void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double aip = transA ? a[p * lda + i] : a[i * lda + p];
                    double bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += aip * bpj;
                }

                double result = alpha * sum;
                if (beta != 0) result += beta * c[i * ldc + j];
                c[i * ldc + j] = result;
            }
        }
    }
}
