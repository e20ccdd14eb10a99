namespace Nabla.Audio;

/// <summary>What a spectrogram holds, for converting it to decibels.</summary>
public enum SpectrumType
{
    /// <summary>|X|², converted with 10·log10.</summary>
    Power,
    /// <summary>|X|, converted with 20·log10.</summary>
    Magnitude,
}
