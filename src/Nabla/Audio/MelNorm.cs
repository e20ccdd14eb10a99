namespace Nabla.Audio;

/// <summary>How mel triangles are scaled.</summary>
public enum MelNorm
{
    /// <summary>Each triangle peaks at 1 (torchaudio's default).</summary>
    None,
    /// <summary>Area normalisation: triangle m is multiplied by 2 / (f[m + 2] − f[m]), so every band holds about the same
    /// energy (librosa's default, norm="slaney").</summary>
    Slaney,
}
