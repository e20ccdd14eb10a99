using System.Buffers.Binary;
using Nabla.Audio;
using Nabla.Tensors;

namespace Nabla.Tests.Audio;

/// <summary>The WAV reader and writer: every sample format, extensible headers, skipped chunks, round trips, and
/// malformed, truncated and randomly mutated files, which must be refused with a message naming what is wrong and
/// never read past the buffer.</summary>
public sealed class WavTests
{
    /// <summary>A WAV file built field by field: format code, channels, rate, bits, the raw data and optional extra chunks.</summary>
    private static byte[] Build(ushort code, int channels, int rate, int bits, byte[] data, bool extensible = false, ushort subFormat = 1,
        byte[]? before = null, int? blockAlign = null, bool dataFirst = false)
    {
        var fmt = new List<byte>();
        void U16(List<byte> l, int v) { l.Add((byte)v); l.Add((byte)(v >> 8)); }
        void U32(List<byte> l, long v) { for (int i = 0; i < 4; i++) l.Add((byte)(v >> (8 * i))); }
        int align = blockAlign ?? channels * bits / 8;
        U16(fmt, extensible ? 0xFFFE : code);
        U16(fmt, channels);
        U32(fmt, rate);
        U32(fmt, (long)rate * align);
        U16(fmt, align);
        U16(fmt, bits);
        if (extensible)
        {
            U16(fmt, 22);
            U16(fmt, bits);
            U32(fmt, channels == 2 ? 3 : 4);
            U16(fmt, subFormat);
            fmt.AddRange(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 });
        }
        var body = new List<byte>("WAVE"u8.ToArray());
        void Chunk(string id, byte[] content)
        {
            body.AddRange(System.Text.Encoding.ASCII.GetBytes(id));
            U32(body, content.Length);
            body.AddRange(content);
            if (content.Length % 2 == 1) body.Add(0);
        }
        if (before is not null) Chunk("LIST", before);
        if (dataFirst) Chunk("data", data);
        Chunk("fmt ", [.. fmt]);
        if (!dataFirst) Chunk("data", data);
        var file = new List<byte>("RIFF"u8.ToArray());
        U32(file, body.Count);
        file.AddRange(body);
        return [.. file];
    }

    [Fact]
    public void Read_DecodesEveryPcmAndFloatFormat()
    {
        // Two channels, two frames each: values chosen at exact binary fractions.
        var pcm8 = Wav.Decode(Build(1, 2, 8000, 8, [0, 128, 192, 255]));
        Assert.Equal([-1f, 0.5f, 0, 127 / 128f], pcm8.Samples.ToArray<float>());
        Assert.Equal(WavEncoding.Pcm8, pcm8.Encoding);
        var pcm16 = Wav.Decode(Build(1, 1, 16000, 16, [0x00, 0x80, 0x00, 0x40, 0xFF, 0x7F]));
        Assert.Equal([-1f, 0.5f, 32767 / 32768f], pcm16.Samples.ToArray<float>());
        Assert.Equal(16000, pcm16.SampleRate);
        var pcm24 = Wav.Decode(Build(1, 1, 44100, 24, [0x00, 0x00, 0x80, 0x00, 0x00, 0xC0]));
        Assert.Equal([-1f, -0.5f], pcm24.Samples.ToArray<float>());
        var pcm32 = Wav.Decode(Build(1, 1, 48000, 32, [0, 0, 0, 0x40, 0, 0, 0, 0x80]));
        Assert.Equal([0.5f, -1f], pcm32.Samples.ToArray<float>());
        var f32 = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(f32, 0.25f);
        BinaryPrimitives.WriteSingleLittleEndian(f32.AsSpan(4), -0.75f);
        Assert.Equal([0.25f, -0.75f], Wav.Decode(Build(3, 1, 22050, 32, f32)).Samples.ToArray<float>());
        var f64 = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.125);
        Assert.Equal([0.125f], Wav.Decode(Build(3, 1, 22050, 64, f64)).Samples.ToArray<float>());
    }

    [Fact]
    public void Read_HandlesExtensibleHeadersManyChannelsAndSkipsUnknownChunks()
    {
        // 3 channels of 24-bit PCM in WAVE_FORMAT_EXTENSIBLE, after a LIST chunk of odd size (with its pad byte).
        byte[] data = [0, 0, 0x40, 0, 0, 0xC0, 0, 0, 0, 0xFF, 0xFF, 0x7F, 0, 0, 0x80, 1, 0, 0];
        var audio = Wav.Decode(Build(1, 3, 96000, 24, data, extensible: true, before: [1, 2, 3]));
        Assert.Equal([3, 2], audio.Samples.Shape);
        Assert.Equal([0.5f, 8388607 / 8388608f, -0.5f, -1f, 0f, 1 / 8388608f], audio.Samples.ToArray<float>());
        var f = Wav.Decode(Build(0, 1, 8000, 32, BitConverter.GetBytes(0.5f), extensible: true, subFormat: 3));
        Assert.Equal(WavEncoding.Float32, f.Encoding);
        var mono = Wav.Decode(Build(1, 2, 8000, 16, [0x00, 0x40, 0x00, 0xC0, 0x00, 0x20, 0x00, 0x20]), mono: true);
        Assert.Equal([1, 2], mono.Samples.Shape);
        Assert.Equal([0f, 0.25f], mono.Samples.ToArray<float>());
    }

    [Theory]
    [InlineData(WavEncoding.Pcm16)]
    [InlineData(WavEncoding.Float32)]
    public void WriteThenRead_RoundTrips(WavEncoding encoding)
    {
        var random = new Random(4);
        var values = Enumerable.Range(0, 202).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        // 16-bit PCM holds multiples of 1/32768 in [−1, 32767/32768] exactly.
        if (encoding == WavEncoding.Pcm16) values = [.. values.Select(v => Math.Min(MathF.Round(v * 32768) / 32768, 32767 / 32768f))];
        var samples = Tensor.FromArray<float>(values, [2, 101]);
        string path = Path.Combine(Path.GetTempPath(), $"nabla-wav-{Guid.NewGuid():N}.wav");
        try
        {
            Wav.Write(path, samples, 22050, encoding);
            var audio = Wav.Read(path);
            Assert.Equal(22050, audio.SampleRate);
            Assert.Equal(encoding, audio.Encoding);
            Assert.Equal(samples.ToArray<float>(), audio.Samples.ToArray<float>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "not riff", "not a RIFF file: it starts with 'RIFX'" },
        { "not wave", "RIFF form type is 'AVI ', expected 'WAVE'" },
        { "adpcm", "fmt chunk: format code 0x0002 (Microsoft ADPCM) is not supported" },
        { "12-bit", "fmt chunk: PCM with 12 bits per sample is not supported" },
        { "16-bit float", "fmt chunk: IEEE float with 16 bits per sample is not supported" },
        { "block align", "fmt chunk: block align 3 does not match 2 channel(s) × 2 bytes = 4" },
        { "no channels", "fmt chunk: channel count is 0" },
        { "zero rate", "fmt chunk: sample rate 0 Hz is out of range" },
        { "data first", "the data chunk at byte 12 comes before any fmt chunk" },
        { "partial frame", "data chunk: size 5 is not a whole number of 4-byte frames" },
        { "bad guid", "fmt chunk: WAVE_FORMAT_EXTENSIBLE sub-format GUID" },
        { "short fmt", "fmt chunk: size 14 is too small" },
        { "rf64", "RF64 (64-bit RIFF) files are not supported" },
        { "tiny", "8 bytes is too short for a RIFF header" },
    };

    private static byte[] MalformedFile(string name)
    {
        byte[] data = [0, 0, 0, 0];
        switch (name)
        {
            case "not riff": { var b = Build(1, 1, 8000, 16, data); "RIFX"u8.CopyTo(b); return b; }
            case "not wave": { var b = Build(1, 1, 8000, 16, data); "AVI "u8.CopyTo(b.AsSpan(8)); return b; }
            case "adpcm": return Build(2, 1, 8000, 16, data);
            case "12-bit": return Build(1, 1, 8000, 12, data, blockAlign: 1);
            case "16-bit float": return Build(3, 1, 8000, 16, data);
            case "block align": return Build(1, 2, 8000, 16, data, blockAlign: 3);
            case "no channels": return Build(1, 0, 8000, 16, data, blockAlign: 0);
            case "zero rate": return Build(1, 1, 0, 16, data);
            case "data first": return Build(1, 1, 8000, 16, data, dataFirst: true);
            case "partial frame": return Build(1, 2, 8000, 16, [1, 2, 3, 4, 5]);
            case "bad guid": { var b = Build(1, 1, 8000, 16, data, extensible: true); b[20 + 24 + 5] ^= 0xFF; return b; }
            case "short fmt":
                {
                    var b = Build(1, 1, 8000, 16, data);
                    BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 14);   // fmt claims 14 bytes; the reader then meets "data" 2 bytes early
                    return b;
                }
            case "rf64": { var b = Build(1, 1, 8000, 16, data); "RF64"u8.CopyTo(b); return b; }
            default: return [.. "RIFF"u8, 0, 0, 0, 0];
        }
    }

    [Theory, MemberData(nameof(Malformed))]
    public void Read_RefusesMalformedFilesNamingTheProblem(string name, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => Wav.Decode(MalformedFile(name), "bad.wav"));
        Assert.StartsWith("wav: bad.wav: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesEveryTruncation()
    {
        var file = Build(1, 2, 8000, 24, [.. Enumerable.Range(0, 60).Select(i => (byte)i)], extensible: true, before: [9, 9, 9]);
        for (int length = 0; length < file.Length; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => Wav.Decode(file.AsSpan(0, length), "cut.wav"));
            Assert.StartsWith("wav: cut.wav: ", e.Message, StringComparison.Ordinal);
        }
        var truncatedData = Assert.Throws<InvalidDataException>(() => Wav.Decode(file.AsSpan(0, file.Length - 7), "cut.wav"));
        Assert.Contains("chunk 'data' at byte", truncatedData.Message, StringComparison.Ordinal);
        Assert.Contains("declares 60 bytes but only 53 remain (the file is truncated)", truncatedData.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MutatedHeadersEitherDecodeOrFailCleanly()
    {
        // Seeded random corruption of the header bytes: every outcome is a decoded file or an InvalidDataException, never
        // an out-of-range read or another exception type.
        var files = new[]
        {
            Build(1, 2, 8000, 16, new byte[64]),
            Build(1, 3, 48000, 24, new byte[72], extensible: true, before: [1, 2, 3, 4, 5]),
            Build(3, 1, 44100, 64, new byte[40]),
        };
        var random = new Random(1234);
        int decoded = 0, refused = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])files[trial % files.Length].Clone();
            int header = Math.Min(bytes.Length, 80);
            for (int k = random.Next(1, 4); k > 0; k--) bytes[random.Next(header)] = (byte)random.Next(256);
            if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            try
            {
                var audio = Wav.Decode(bytes, "fuzz.wav");
                Assert.True(audio.Channels >= 1 && audio.SampleRate >= 1);
                decoded++;
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("wav: fuzz.wav: ", e.Message, StringComparison.Ordinal);
                refused++;
            }
        }
        Assert.True(decoded > 0 && refused > 0, $"decoded {decoded}, refused {refused}");
    }

    [Fact]
    public void Read_AcceptsStreamingPlaceholderSizes()
    {
        // espeak-ng --stdout: RIFF size 0x7FFFF024 and data size 0x7FFFF000, as a pipe cannot be rewound; 3 frames follow.
        var file = Build(1, 1, 22050, 16, [0x00, 0x40, 0x00, 0xC0, 0x00, 0x20]);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 0x7FFFF024);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(40), 0x7FFFF000);
        var audio = Wav.Decode(file.AsSpan(0, file.Length - 1), "pipe");   // and a cut last frame is dropped
        Assert.Equal([0.5f, -0.5f], audio.Samples.ToArray<float>());
    }

    [Fact]
    public void Write_RefusesUnsupportedEncodingsAndShapes()
    {
        Assert.Throws<ArgumentException>(() => Wav.Encode(Tensor.Zeros([4]), 8000, WavEncoding.Pcm24));
        Assert.Throws<ArgumentException>(() => Wav.Encode(Tensor.Zeros([1, 2, 3]), 8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Wav.Encode(Tensor.Zeros([4]), 0));
    }
}
