using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Kernels.Gemm;

/// <summary>Batched GEMM for an element type chosen by the caller's generic parameter (float → Sgemm, double → Dgemm),
/// so generic kernels such as convolution serve both dtypes from one body.</summary>
internal static class GemmOf<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Batched(bool transA, bool transB, int batch, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, long strideA, ReadOnlySpan<T> b, int ldb, long strideB, T beta, Span<T> c, int ldc, long strideC)
    {
        if (typeof(T) == typeof(float))
            Gemm.SgemmBatched(transA, transB, batch, m, n, k, float.CreateTruncating(alpha),
                MemoryMarshal.Cast<T, float>(a), lda, strideA, MemoryMarshal.Cast<T, float>(b), ldb, strideB,
                float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c), ldc, strideC);
        else
            Gemm.DgemmBatched(transA, transB, batch, m, n, k, double.CreateTruncating(alpha),
                MemoryMarshal.Cast<T, double>(a), lda, strideA, MemoryMarshal.Cast<T, double>(b), ldb, strideB,
                double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c), ldc, strideC);
    }
}
