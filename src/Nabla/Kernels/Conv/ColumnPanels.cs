using Nabla.Kernels.Gemm;

namespace Nabla.Kernels.Conv;

/// <summary>B = a group's column matrix [Kg, N·P], gathered from <see cref="PaddedImages"/> as the GEMM packs it:
/// B[r, j] = pad[rows[r] + columns[j]]. The forward's operand (and a transposed convolution's input gradient).</summary>
internal readonly unsafe struct ColumnPanels(float* pad, int* rows, int* columns, bool avx512) : IPanelSource
{
    public void Pack(int pc, int jc, int depth, int width, float* dst)
    {
        for (int jr = 0; jr < width; jr += 16)
            PanelGather.Run(pad, columns + jc + jr, Math.Min(16, width - jr), rows + pc, depth, dst + (nint)jr * depth, avx512);
    }
}

/// <summary>B = the column matrix transposed [N·P, Kg]: B[j, r] = pad[rows[r] + columns[j]]. The weight gradient's
/// operand, dW = dY·colsᵀ.</summary>
internal readonly unsafe struct TransposedColumnPanels(float* pad, int* rows, int* columns, bool avx512) : IPanelSource
{
    public void Pack(int pc, int jc, int depth, int width, float* dst)
    {
        for (int jr = 0; jr < width; jr += 16)
            PanelGather.Run(pad, rows + jc + jr, Math.Min(16, width - jr), columns + pc, depth, dst + (nint)jr * depth, avx512);
    }
}
