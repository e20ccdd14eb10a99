namespace Nabla.Kernels.Pool;

/// <summary>The window arithmetic of a 2-D pooling over one H×W plane: kernel, stride, implicit padding (the same
/// on both sides) and dilation, with the output size already resolved.</summary>
/// <remarks>Window (oy, ox) covers rows oy·sH − pH + i·dH for i &lt; kH and columns ox·sW − pW + j·dW for j &lt; kW;
/// positions outside the plane are padding.</remarks>
internal readonly record struct PoolGeometry(
    int Height, int Width,
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int PadH, int PadW,
    int DilationH, int DilationW,
    int OutH, int OutW)
{
    /// <summary>PyTorch's pooling_output_shape: ⌊(in + 2p − d·(k − 1) − 1 + (ceil ? s − 1 : 0)) / s⌋ + 1, and in ceil
    /// mode one fewer when the last window would start beyond the input and its left padding.</summary>
    /// <remarks>The result may be below 1; the caller reports that as an error.</remarks>
    public static int OutputSize(int input, int kernel, int stride, int pad, int dilation, bool ceilMode)
    {
        long numerator = (long)input + 2L * pad - (long)dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long output = (long)Math.Floor(numerator / (double)stride) + 1;
        if (ceilMode && (output - 1) * stride >= input + pad) output--;
        return (int)Math.Clamp(output, int.MinValue, int.MaxValue);
    }

    /// <summary>Elements of one input plane.</summary>
    public int InPlane => Height * Width;

    /// <summary>Elements of one output plane.</summary>
    public int OutPlane => OutH * OutW;

    /// <summary>True for 2×2 windows at stride 2 without padding or dilation that all lie inside the plane: the common
    /// CNN down-sampling, which has a vectorized path.</summary>
    public bool IsPlain2x2 => KernelH == 2 && KernelW == 2 && StrideH == 2 && StrideW == 2 && PadH == 0 && PadW == 0
        && DilationH == 1 && DilationW == 1 && 2 * OutH <= Height && 2 * OutW <= Width;
}
