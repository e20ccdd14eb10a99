using System.Buffers.Binary;
using System.Globalization;
using Nabla.Tensors;

namespace Nabla.Audio;

/// <summary>Parses RIFF/WAVE bytes: every read is bounds-checked against the buffer, and every refusal names the source,
/// the chunk or field at fault, its value and what was allowed ("wav: a.wav: fmt chunk: …").</summary>
internal static class WavReader
{
    private const ushort FormatPcm = 1, FormatFloat = 3, FormatExtensible = 0xFFFE;

    /// <summary>Data sizes from here up are placeholders of streaming writers, not lengths.</summary>
    private const uint StreamingSize = 0x7FFF0000;

    // KSDATAFORMAT_SUBTYPE_*: the format code in the first two bytes, then 00 00 00 00 10 00 80 00 00 AA 00 38 9B 71.
    private static ReadOnlySpan<byte> GuidTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private readonly record struct Format(ushort Code, int Channels, int SampleRate, int BlockAlign, int Bits, WavEncoding Encoding);

    public static WavAudio Read(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 12)
            throw Error(source, $"{bytes.Length} bytes is too short for a RIFF header (12 bytes: 'RIFF', size, 'WAVE')");
        string riff = FourCc(bytes[..4]);
        if (riff == "RF64") throw Error(source, "RF64 (64-bit RIFF) files are not supported; expected a RIFF file");
        if (riff != "RIFF") throw Error(source, $"not a RIFF file: it starts with '{riff}', expected 'RIFF'");
        string form = FourCc(bytes.Slice(8, 4));
        if (form != "WAVE") throw Error(source, $"RIFF form type is '{form}', expected 'WAVE'");
        // Streaming writers leave the RIFF size 0 or 0xFFFFFFFF: then the chunks run to the end of the buffer. Otherwise
        // they end at the declared size (later bytes, such as appended tags, are not chunks), and never past the buffer.
        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        long riffEnd = declared < 4 || declared == uint.MaxValue ? bytes.Length : Math.Min(bytes.Length, 8L + declared);
        Format? format = null;
        int at = 12;
        while (at + 8 <= riffEnd)
        {
            string id = FourCc(bytes.Slice(at, 4));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 4)..]);
            long body = at + 8L;
            bool streamed = id == "data" && size >= StreamingSize;
            if (body + size > bytes.Length && !streamed)
                throw Error(source, $"chunk '{id}' at byte {at} declares {size} bytes but only {bytes.Length - body} remain (the file is truncated)");
            // A writer to a pipe cannot seek back to fill in sizes (espeak-ng --stdout writes 0x7FFFF000, others 0xFFFFFFFF):
            // such a data chunk runs to the end of the buffer, in whole frames.
            var content = streamed ? bytes[(int)body..] : bytes.Slice((int)body, (int)size);
            if (streamed && format is { } sf) content = content[..(content.Length - content.Length % sf.BlockAlign)];
            if (id == "fmt ")
            {
                if (format is not null) throw Error(source, $"a second fmt chunk at byte {at}");
                format = ParseFormat(content, source);
            }
            else if (id == "data")
            {
                if (format is not { } f) throw Error(source, $"the data chunk at byte {at} comes before any fmt chunk");
                return Decode(content, f, source);
            }
            at = (int)Math.Min(body + size + (size & 1), int.MaxValue);   // chunks are padded to an even size
        }
        if (at < riffEnd && at + 8 > riffEnd)
            throw Error(source, $"truncated chunk header at byte {at}: {riffEnd - at} bytes left, a chunk header needs 8");
        throw Error(source, format is null ? "no fmt chunk" : "no data chunk");
    }

    private static Format ParseFormat(ReadOnlySpan<byte> fmt, string source)
    {
        if (fmt.Length < 16) throw Chunk(source, "fmt", $"size {fmt.Length} is too small; a WAVE format needs at least 16 bytes");
        ushort code = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        ushort effective = code;
        if (code == FormatExtensible)
        {
            if (fmt.Length < 40)
                throw Chunk(source, "fmt", $"size {fmt.Length} is too small for WAVE_FORMAT_EXTENSIBLE (0xFFFE), which needs 40 bytes");
            int extra = BinaryPrimitives.ReadUInt16LittleEndian(fmt[16..]);
            if (extra < 22) throw Chunk(source, "fmt", $"WAVE_FORMAT_EXTENSIBLE extension size is {extra}, expected at least 22");
            var guid = fmt.Slice(24, 16);
            effective = BinaryPrimitives.ReadUInt16LittleEndian(guid);
            if (!guid[2..].SequenceEqual(GuidTail))
                throw Chunk(source, "fmt", $"WAVE_FORMAT_EXTENSIBLE sub-format GUID {Convert.ToHexString(guid)} is not a KSDATAFORMAT_SUBTYPE GUID");
        }
        if (channels == 0) throw Chunk(source, "fmt", "channel count is 0");
        if (rate == 0 || rate > int.MaxValue) throw Chunk(source, "fmt", $"sample rate {rate} Hz is out of range");
        WavEncoding encoding = (effective, bits) switch
        {
            (FormatPcm, 8) => WavEncoding.Pcm8,
            (FormatPcm, 16) => WavEncoding.Pcm16,
            (FormatPcm, 24) => WavEncoding.Pcm24,
            (FormatPcm, 32) => WavEncoding.Pcm32,
            (FormatFloat, 32) => WavEncoding.Float32,
            (FormatFloat, 64) => WavEncoding.Float64,
            (FormatPcm, _) => throw Chunk(source, "fmt", $"PCM with {bits} bits per sample is not supported; expected 8, 16, 24 or 32"),
            (FormatFloat, _) => throw Chunk(source, "fmt", $"IEEE float with {bits} bits per sample is not supported; expected 32 or 64"),
            _ => throw Chunk(source, "fmt", $"format code 0x{effective:X4} ({FormatName(effective)}) is not supported; expected 0x0001 (PCM), 0x0003 (IEEE float) or 0xFFFE (extensible) carrying one of them"),
        };
        int expected = channels * (bits / 8);
        if (blockAlign != expected)
            throw Chunk(source, "fmt", $"block align {blockAlign} does not match {channels} channel(s) × {bits / 8} bytes = {expected}");
        return new Format(code, channels, (int)rate, blockAlign, bits, encoding);
    }

    private static WavAudio Decode(ReadOnlySpan<byte> data, Format f, string source)
    {
        if (data.Length % f.BlockAlign != 0)
            throw Chunk(source, "data", $"size {data.Length} is not a whole number of {f.BlockAlign}-byte frames ({f.Channels} channel(s) × {f.Bits / 8} bytes)");
        long frames = data.Length / f.BlockAlign;
        if (frames * f.Channels > int.MaxValue) throw Chunk(source, "data", $"{frames} frames × {f.Channels} channels exceed a tensor's {int.MaxValue} elements");
        var samples = new float[frames * f.Channels];
        int width = f.Bits / 8;
        // Interleaved frames in the file, [channels, frames] in the tensor.
        for (long t = 0; t < frames; t++)
            for (int c = 0; c < f.Channels; c++)
            {
                var v = data.Slice((int)(t * f.BlockAlign + c * width), width);
                samples[c * frames + t] = f.Encoding switch
                {
                    WavEncoding.Pcm8 => (v[0] - 128) / 128f,
                    WavEncoding.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(v) / 32768f,
                    WavEncoding.Pcm24 => ((v[0] | (v[1] << 8) | (v[2] << 16)) << 8 >> 8) / 8388608f,
                    WavEncoding.Pcm32 => (float)(BinaryPrimitives.ReadInt32LittleEndian(v) / 2147483648.0),
                    WavEncoding.Float32 => BinaryPrimitives.ReadSingleLittleEndian(v),
                    _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(v),
                };
            }
        return new WavAudio(Tensor.FromArray<float>(samples, [f.Channels, (int)frames]), f.SampleRate, f.Encoding);
    }

    private static string FormatName(ushort code) => code switch
    {
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "µ-law",
        0x0011 => "IMA ADPCM",
        0x0050 => "MPEG",
        0x0055 => "MP3",
        _ => "unknown",
    };

    private static string FourCc(ReadOnlySpan<byte> id)
    {
        Span<char> chars = stackalloc char[4];
        for (int i = 0; i < 4; i++) chars[i] = id[i] is >= 0x20 and < 0x7F ? (char)id[i] : '?';
        return new string(chars);
    }

    private static InvalidDataException Error(string source, string problem) => new($"wav: {source}: {problem}");

    private static InvalidDataException Chunk(string source, string chunk, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"wav: {source}: {chunk} chunk: {problem}"));
}
