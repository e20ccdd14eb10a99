using System.Diagnostics.CodeAnalysis;

namespace Nabla.Kernels.Gemm;

/// <summary>Checks GEMM arguments against the spans before the kernels read them through pointers.</summary>
internal static class GemmArguments
{
    /// <summary>Throws <see cref="ArgumentException"/> unless every matrix of the (batched) call lies inside its span.</summary>
    public static void Check(string op, bool transA, bool transB, int batch, int m, int n, int k,
        int aLength, int lda, long strideA, int bLength, int ldb, long strideB, int cLength, int ldc, long strideC)
    {
        if ((batch | m | n | k) < 0)
            Throw($"{op}: sizes must be non-negative, got batch {batch}, m {m}, n {n}, k {k}.");
        CheckMatrix(op, "A", transA ? k : m, transA ? m : k, aLength, lda, batch, strideA);
        CheckMatrix(op, "B", transB ? n : k, transB ? k : n, bLength, ldb, batch, strideB);
        CheckMatrix(op, "C", m, n, cLength, ldc, batch, strideC);
    }

    private static void CheckMatrix(string op, string name, int rows, int columns, int length, int ld, int batch,
        long stride)
    {
        if (ld < Math.Max(1, columns))
            Throw($"{op}: {name} is stored {rows}×{columns} with row stride {ld}; the row stride must be at least {Math.Max(1, columns)}.");
        if (stride < 0)
            Throw($"{op}: {name} has matrix stride {stride}; strides must be non-negative.");
        if (batch == 0 || rows == 0 || columns == 0) return;
        long needed = (batch - 1) * stride + (rows - 1) * (long)ld + columns;
        if (length < needed)
            Throw($"{op}: {name} needs {needed} elements ({batch} × {rows}×{columns}, row stride {ld}, matrix stride {stride}) but its span holds {length}.");
    }

    [DoesNotReturn]
    private static void Throw(string message) => throw new ArgumentException(message);
}
