namespace Nabla.Kernels.Gemm;

/// <summary>A register-blocked SGEMM micro-kernel: one tile of up to <see cref="Mr"/> rows × 16 columns of C.</summary>
internal unsafe interface ISgemmMicroKernel
{
    /// <summary>Rows of C in a full register tile; packed A micro-panels hold this many floats per k step.</summary>
    static abstract int Mr { get; }

    /// <summary>
    /// C[i, j] = α·Σ_{p &lt; kc} a[p·aStride + i]·b[p·bStride + j] + β·C[i, j] for i &lt; rows, j &lt; 16, where
    /// C[i, j] is c[i·ldc + j]; C is not read when β = 0.
    /// </summary>
    /// <remarks>Packed panels have aStride = Mr and bStride = 16; an operand already laid out along the tile
    /// (A stored [k, m], B stored [k, n]) can be passed unpacked with its row stride.</remarks>
    /// <param name="rows">Rows of the tile, 1..<see cref="Mr"/>; only these elements of each A step are read.</param>
    /// <param name="kc">Depth: the number of k steps.</param>
    /// <param name="a">The tile's A elements of k step 0.</param>
    /// <param name="aStride">Elements from one k step of A to the next.</param>
    /// <param name="b">The tile's 16 B elements of k step 0.</param>
    /// <param name="bStride">Elements from one k step of B to the next.</param>
    /// <param name="c">Top-left element of the C tile (16 contiguous floats per row).</param>
    /// <param name="ldc">Row stride of C in elements.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the existing C.</param>
    static abstract void Multiply(int rows, int kc, float* a, nint aStride, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta);

    /// <summary>
    /// As <see cref="Multiply"/>, with A read in place from row-major storage: element (i, p) at a[i·lda + p].
    /// </summary>
    /// <remarks>For a narrow C, where a packed A panel would serve only one or two tiles.</remarks>
    /// <param name="rows">Rows of the tile, 1..<see cref="Mr"/>.</param>
    /// <param name="kc">Depth: the number of k steps.</param>
    /// <param name="a">A[0, 0] of the tile.</param>
    /// <param name="lda">Row stride of A.</param>
    /// <param name="b">The tile's 16 B elements of k step 0.</param>
    /// <param name="bStride">Elements from one k step of B to the next.</param>
    /// <param name="c">Top-left element of the C tile (16 contiguous floats per row).</param>
    /// <param name="ldc">Row stride of C in elements.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the existing C.</param>
    static abstract void MultiplyRowMajorA(int rows, int kc, float* a, nint lda, float* b, nint bStride,
        float* c, nint ldc, float alpha, float beta);
}
