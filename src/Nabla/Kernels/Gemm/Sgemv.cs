using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels.Gemm;

/// <summary>
/// GEMM with a single row or column of C: y = α·M·x + β·y, where every element of M is used once, so the work is
/// one streaming pass over M (packing it would double the memory traffic).
/// </summary>
/// <remarks>
/// m = 1: y is C's row, M(j, p) = op(B)[p, j], x = op(A)'s row. n = 1: y is C's column, M(i, p) = op(A)[i, p],
/// x = op(B)'s column. With M's rows contiguous each y element is a dot product; with M's columns contiguous y
/// gathers axpys of them. A strided x or y is copied to contiguous scratch first.
/// </remarks>
internal static unsafe class Sgemv
{
    /// <summary>C = α·op(A)·op(B) + β·C for m = 1 or n = 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc, bool simd)
    {
        if (m == 1)
            Run(n, k, alpha, b, transB ? ldb : 1, transB ? 1 : ldb, a, transA ? lda : 1, beta, c, 1, simd);
        else
            Run(m, k, alpha, a, transA ? 1 : lda, transA ? lda : 1, b, transB ? 1 : ldb, beta, c, ldc, simd);
    }

    /// <summary>y[i·incY] = α·Σ_p M[i·rowStride + p·columnStride]·x[p·incX] + β·y[i·incY] for i &lt; rows, p &lt; k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(int rows, int k, float alpha, float* matrix, nint rowStride, nint columnStride,
        float* x, nint incX, float beta, float* y, nint incY, bool simd)
    {
        // One scratch holds a contiguous copy of x (k floats) and of y (rows floats) where needed.
        float* scratch = PackBuffers.PackedA(k + rows + 16);
        float* xs = x;
        if (incX != 1)
        {
            xs = scratch;
            for (int p = 0; p < k; p++) xs[p] = x[p * incX];
        }

        if (columnStride == 1)
        {
            // M's rows are contiguous: each y element is a dot product.
            for (int i = 0; i < rows; i++)
            {
                float dot = alpha * Dot(matrix + i * rowStride, xs, k, simd);
                float* yi = y + i * incY;
                *yi = beta == 0 ? dot : dot + beta * *yi;
            }

            return;
        }

        // M's columns are contiguous: y gathers x[p]·(column p) into a contiguous accumulator.
        float* ys = incY == 1 ? y : scratch + k;
        for (int i = 0; i < rows; i++) ys[i] = beta == 0 ? 0 : beta * y[i * incY];
        for (int p = 0; p < k; p++) Axpy(alpha * xs[p], matrix + p * columnStride, ys, rows, simd);
        if (incY != 1)
        {
            for (int i = 0; i < rows; i++) y[i * incY] = ys[i];
        }
    }

    /// <summary>Σ_p u[p]·v[p] over p &lt; k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot(float* u, float* v, int k, bool simd)
    {
        int p = 0;
        float sum = 0;
        if (simd && Vector256.IsHardwareAccelerated && k >= 32)
        {
            // Four accumulators hide the FMA latency and keep two loads a cycle in flight.
            Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; p + 32 <= k; p += 32)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(u + p), Vector256.Load(v + p), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(u + p + 8), Vector256.Load(v + p + 8), s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Load(u + p + 16), Vector256.Load(v + p + 16), s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Load(u + p + 24), Vector256.Load(v + p + 24), s3);
            }

            for (; p + 8 <= k; p += 8) s0 = Vector256.FusedMultiplyAdd(Vector256.Load(u + p), Vector256.Load(v + p), s0);
            sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        }

        for (; p < k; p++) sum += u[p] * v[p];
        return sum;
    }

    /// <summary>y[0..n) += s·x[0..n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Axpy(float s, float* x, float* y, int n, bool simd)
    {
        int j = 0;
        if (simd && Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vs = Vector256.Create(s);
            for (; j + 8 <= n; j += 8)
                Vector256.Store(Vector256.FusedMultiplyAdd(vs, Vector256.Load(x + j), Vector256.Load(y + j)), y + j);
        }

        for (; j < n; j++) y[j] += s * x[j];
    }
}
