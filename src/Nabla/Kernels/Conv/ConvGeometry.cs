namespace Nabla.Kernels.Conv;

/// <summary>The shape arithmetic of a 2-D convolution over one image: input C×H×W, kernel kH×kW, stride, dilation
/// and padding (top/left may differ from bottom/right, for "same" with even kernels).</summary>
/// <remarks>Output size per axis: ⌊(in + padBefore + padAfter − dilation·(k − 1) − 1) / stride⌋ + 1.</remarks>
internal readonly record struct ConvGeometry(
    int Channels, int Height, int Width,
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int PadTop, int PadLeft, int PadBottom, int PadRight,
    int DilationH, int DilationW)
{
    public int OutH => (Height + PadTop + PadBottom - DilationH * (KernelH - 1) - 1) / StrideH + 1;
    public int OutW => (Width + PadLeft + PadRight - DilationW * (KernelW - 1) - 1) / StrideW + 1;

    /// <summary>Rows of the column matrix: C·kH·kW.</summary>
    public int ColRows => Channels * KernelH * KernelW;

    /// <summary>Columns of the column matrix: one per output pixel.</summary>
    public int ColCols => OutH * OutW;
}
