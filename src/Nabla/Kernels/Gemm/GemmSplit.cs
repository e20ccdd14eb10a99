namespace Nabla.Kernels.Gemm;

/// <summary>How a parallel SGEMM divides its work: into row bands of C, column bands of C, or whole matrices.</summary>
internal enum GemmSplit
{
    /// <summary>Each part takes a band of C's rows (and the matching rows of op(A)).</summary>
    Rows,

    /// <summary>Each part takes a band of C's columns (and the matching columns of op(B)).</summary>
    Columns,

    /// <summary>Each part takes whole matrices of the batch.</summary>
    Batch,
}
