namespace Nabla.Audio;

/// <summary>The scaling of the DCT-II used by MFCC.</summary>
public enum DctNorm
{
    /// <summary>Orthonormal: y[k] = √(2/N)·Σ x[n]·cos(πk(n + ½)/N), with y[0] further ×1/√2 (both references' default).</summary>
    Ortho,
    /// <summary>Unscaled: y[k] = 2·Σ x[n]·cos(πk(n + ½)/N) (scipy's norm=None, torchaudio's norm=None).</summary>
    None,
}
