using Nabla.Tensors;

namespace Nabla.Audio;

/// <summary>Audio read from a WAV file: float32 samples [channels, frames] scaled to [−1, 1) as torchaudio.load gives them,
/// the sample rate and how the file stored them.</summary>
/// <param name="Samples">[channels, frames], float32.</param>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="Encoding">The file's sample format.</param>
public sealed record WavAudio(Tensor Samples, int SampleRate, WavEncoding Encoding)
{
    /// <summary>Channels.</summary>
    public int Channels => Samples.Shape[0];

    /// <summary>Samples per channel.</summary>
    public int Frames => Samples.Shape[1];

    /// <summary>Length in seconds.</summary>
    public double Duration => (double)Frames / SampleRate;

    /// <summary>The channels averaged into one, [1, frames] (librosa's to_mono).</summary>
    public Tensor Mono() => Channels == 1 ? Samples : Samples.Mean(0, keepDim: true);
}
