namespace Nabla.Kernels.Gemm;

/// <summary>Where <see cref="SgemmImplicit"/> puts C: a sink that may expose a tile of C as plain rows for the
/// micro-kernel to store into, or takes finished tiles and places them itself (a convolution's output images, or
/// col2im's scatter-add).</summary>
internal unsafe interface ITileSink
{
    /// <summary>The address of C[row, col] when C[row .. row + 16, col .. col + 16) is 16 contiguous floats per row,
    /// <paramref name="ld"/> apart, and the micro-kernel may store there directly; null otherwise.</summary>
    float* Direct(int row, int col, out nint ld);

    /// <summary>C[row + i, col + j] = tile[i·16 + j] (or += when <paramref name="accumulate"/>) for i &lt; rows,
    /// j &lt; columns.</summary>
    void Store(float* tile, int row, int col, int rows, int columns, bool accumulate);
}

/// <summary>C stored [m, n] with row stride ld.</summary>
internal readonly unsafe struct DenseTiles(float* c, nint ld) : ITileSink
{
    public float* Direct(int row, int col, out nint ldOut)
    {
        ldOut = ld;
        return c + row * ld + col;
    }

    public void Store(float* tile, int row, int col, int rows, int columns, bool accumulate)
    {
        for (int i = 0; i < rows; i++)
        {
            float* dst = c + (row + i) * ld + col;
            float* src = tile + i * 16;
            if (accumulate) for (int j = 0; j < columns; j++) dst[j] += src[j];
            else for (int j = 0; j < columns; j++) dst[j] = src[j];
        }
    }
}
