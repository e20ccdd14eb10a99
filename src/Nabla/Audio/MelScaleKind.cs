namespace Nabla.Audio;

/// <summary>The Hz ↔ mel mapping.</summary>
public enum MelScaleKind
{
    /// <summary>HTK: m = 2595·log10(1 + f/700) (torchaudio's default; librosa with htk=True).</summary>
    Htk,
    /// <summary>Slaney's Auditory Toolbox: linear below 1 kHz, m = 3f/200, logarithmic above it,
    /// m = 15 + ln(f/1000)/(ln 6.4/27) (librosa's default).</summary>
    Slaney,
}
