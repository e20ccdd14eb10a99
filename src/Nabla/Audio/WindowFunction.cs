namespace Nabla.Audio;

/// <summary>The STFT windows: w[n] for n ∈ [0, N), with D = N (periodic, the DFT-even window spectral analysis uses) or
/// D = N − 1 (symmetric).</summary>
public enum WindowFunction
{
    /// <summary>w[n] = 0.5 − 0.5·cos(2πn/D) (<c>torch.hann_window</c>, scipy's "hann").</summary>
    Hann,
    /// <summary>w[n] = 0.54 − 0.46·cos(2πn/D) (<c>torch.hamming_window</c>).</summary>
    Hamming,
    /// <summary>w[n] = 0.42 − 0.5·cos(2πn/D) + 0.08·cos(4πn/D) (<c>torch.blackman_window</c>).</summary>
    Blackman,
    /// <summary>w[n] = 1 (<c>torch.ones</c>, scipy's "boxcar").</summary>
    Rectangular,
}
