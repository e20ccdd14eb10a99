namespace Nabla.Audio;

/// <summary>How a WAV file stores samples.</summary>
public enum WavEncoding
{
    /// <summary>Unsigned 8-bit PCM, 128 = silence: x = (v − 128)/128.</summary>
    Pcm8,
    /// <summary>Signed 16-bit PCM: x = v/32768.</summary>
    Pcm16,
    /// <summary>Signed 24-bit PCM: x = v/2²³.</summary>
    Pcm24,
    /// <summary>Signed 32-bit PCM: x = v/2³¹.</summary>
    Pcm32,
    /// <summary>32-bit IEEE float, as stored.</summary>
    Float32,
    /// <summary>64-bit IEEE float, rounded to float32 on reading.</summary>
    Float64,
}
