namespace Nabla.Kernels.Gemm;

/// <summary>Where the packed driver <see cref="SgemmImplicit"/> gets op(B) from: a source that writes 16-column
/// micro-panels itself, so B need not exist as a matrix (a convolution's columns are gathered from the image).</summary>
internal unsafe interface IPanelSource
{
    /// <summary>Writes B[pc .. pc + depth, jc .. jc + width) as micro-panels of 16 columns, panel q at
    /// dst + q·16·depth holding dst[q·16·depth + p·16 + t] = B[pc + p, jc + 16q + t], zero for columns past
    /// <paramref name="width"/>.</summary>
    void Pack(int pc, int jc, int depth, int width, float* dst);
}

/// <summary>B stored [k, n] with row stride ld: packed as <see cref="SgemmPacked"/> packs it.</summary>
internal readonly unsafe struct DensePanels(float* b, nint ld) : IPanelSource
{
    public void Pack(int pc, int jc, int depth, int width, float* dst)
    {
        for (int jr = 0; jr < width; jr += 16)
            SgemmPacking.PackDirect(b + pc * ld + jc + jr, ld, Math.Min(16, width - jr), 16, depth, dst + (nint)jr * depth);
    }
}
