namespace Nabla.Kernels.Fft;

/// <summary>How a framed signal is extended past its ends (torch.stft's pad_mode).</summary>
internal enum SignalPadding
{
    /// <summary>Zeros.</summary>
    Constant,
    /// <summary>Mirrored without repeating the edge: x[−i] = x[i], x[n−1+i] = x[n−1−i].</summary>
    Reflect,
    /// <summary>The edge sample repeated.</summary>
    Replicate,
    /// <summary>Wrapped around: x[i] = x[i mod n].</summary>
    Circular,
}
