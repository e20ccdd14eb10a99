using Nabla.Tensors;

namespace Nabla.Audio;

/// <summary>WAV files: reads RIFF/WAVE (PCM 8/16/24/32-bit, IEEE float 32/64-bit, WAVE_FORMAT_EXTENSIBLE, any channel
/// count, unknown chunks skipped) and writes 16-bit PCM or 32-bit float.</summary>
/// <remarks>Samples are float32 [channels, frames] scaled as torchaudio.load scales them (PCM: v / 2^(bits−1), 8-bit:
/// (v − 128)/128). Malformed, truncated or unsupported files raise <see cref="InvalidDataException"/> with a message
/// "wav: SOURCE: …" naming the chunk, size or format code at fault; nothing is read past the buffer. Streaming writers'
/// placeholder sizes (a RIFF size of 0 or ≥ 2³¹ − 4096, a data size ≥ 0x7FFF0000, as espeak-ng --stdout writes) mean
/// "to the end of the data".</remarks>
public static class Wav
{
    /// <summary>Reads a WAV file; with <paramref name="mono"/>, its channels averaged into one.</summary>
    /// <exception cref="InvalidDataException">The file is not a WAV file this reader supports.</exception>
    public static WavAudio Read(string path, bool mono = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Decode(File.ReadAllBytes(path), Path.GetFileName(path), mono);
    }

    /// <summary>Decodes the bytes of a WAV file; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a WAV file this reader supports.</exception>
    public static WavAudio Decode(ReadOnlySpan<byte> bytes, string source = "wav data", bool mono = false)
    {
        var audio = WavReader.Read(bytes, source);
        return mono && audio.Channels > 1 ? audio with { Samples = audio.Mono() } : audio;
    }

    /// <summary>Writes samples [channels, frames] (or [frames], one channel) as a WAV file.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="samples">Float samples in [−1, 1]; 16-bit PCM clips outside it.</param>
    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="encoding"><see cref="WavEncoding.Pcm16"/> (round(x·32768) clipped to int16) or <see cref="WavEncoding.Float32"/>.</param>
    public static void Write(string path, Tensor samples, int sampleRate, WavEncoding encoding = WavEncoding.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, Encode(samples, sampleRate, encoding));
    }

    /// <summary>The bytes of a WAV file holding <paramref name="samples"/>; see <see cref="Write"/>.</summary>
    public static byte[] Encode(Tensor samples, int sampleRate, WavEncoding encoding = WavEncoding.Pcm16) =>
        WavWriter.Encode(samples, sampleRate, encoding);
}
