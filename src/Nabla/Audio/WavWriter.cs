using System.Buffers.Binary;
using Nabla.Tensors;

namespace Nabla.Audio;

/// <summary>Encodes [channels, frames] samples as a canonical RIFF/WAVE file: 16-bit PCM or 32-bit IEEE float (with the
/// fact chunk non-PCM formats carry).</summary>
internal static class WavWriter
{
    public static byte[] Encode(Tensor samples, int sampleRate, WavEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (encoding is not (WavEncoding.Pcm16 or WavEncoding.Float32))
            throw new ArgumentException($"wav: writing {encoding} is not supported; use Pcm16 or Float32.", nameof(encoding));
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "wav: the sample rate must be positive.");
        var s = samples.Dim switch
        {
            1 => samples.Unsqueeze(0),
            2 => samples,
            _ => throw new ArgumentException($"wav: samples must be [frames] or [channels, frames]; got [{string.Join(", ", samples.Shape)}].", nameof(samples)),
        };
        int channels = s.Shape[0], frames = s.Shape[1];
        if (channels is < 1 or > ushort.MaxValue) throw new ArgumentException($"wav: {channels} channels cannot be written (1 … 65535).", nameof(samples));
        float[] values;
        using (Tensor.NoGrad()) values = s.Detach().To(DType.Float32).Contiguous().ToArray<float>();
        bool pcm = encoding == WavEncoding.Pcm16;
        int width = pcm ? 2 : 4, blockAlign = channels * width;
        long dataSize = (long)frames * blockAlign;
        int fmtSize = pcm ? 16 : 18, factSize = pcm ? 0 : 12;
        long total = 12 + 8 + fmtSize + factSize + 8 + dataSize + (dataSize & 1);
        if (total - 8 > uint.MaxValue) throw new ArgumentException($"wav: {dataSize} bytes of samples exceed the 4 GiB a RIFF file can hold.", nameof(samples));
        var bytes = new byte[total];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(total - 8));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)fmtSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], (ushort)(pcm ? 1 : 3));
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(sampleRate * (long)blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], (ushort)(width * 8));
        int at = 20 + fmtSize;   // an 18-byte float fmt ends with cbSize = 0, already zero
        if (!pcm)
        {
            "fact"u8.CopyTo(span[at..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 8)..], (uint)frames);
            at += 12;
        }
        "data"u8.CopyTo(span[at..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], (uint)dataSize);
        at += 8;
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < channels; c++, at += width)
            {
                float v = values[c * frames + t];
                if (pcm) BinaryPrimitives.WriteInt16LittleEndian(span[at..], (short)Math.Clamp(Math.Round(v * 32768.0), short.MinValue, short.MaxValue));
                else BinaryPrimitives.WriteSingleLittleEndian(span[at..], v);
            }
        return bytes;
    }
}
