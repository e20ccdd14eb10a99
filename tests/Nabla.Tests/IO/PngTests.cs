using System.Buffers.Binary;
using Nabla.IO;
using Nabla.Tensors;
using static Nabla.Tests.IO.PngBytes;

namespace Nabla.Tests.IO;

public sealed class PngTests : IDisposable
{
    const string Source = "t.png";
    readonly string dir = Directory.CreateTempSubdirectory("nabla-png-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static PngImage Decode(byte[] file) => Png.Read(file, Source);

    static string Error(byte[] file) => Assert.Throws<InvalidDataException>(() => Png.Read(file, Source)).Message;

    static byte[] RandomPixels(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Packs samples of 1, 2 or 4 bits into bytes, most significant bits first, each row padded to a whole byte.</summary>
    static byte[] PackRow(int[] samples, int depth)
    {
        var row = new byte[(samples.Length * depth + 7) / 8];
        for (int i = 0; i < samples.Length; i++) row[i * depth / 8] |= (byte)(samples[i] << (8 - depth - i * depth % 8));
        return row;
    }

    /// <summary>Scanlines with filter type 0 (None) before each row.</summary>
    static byte[] Unfiltered(params byte[][] rows) => [.. rows.SelectMany(r => (byte[])[0, .. r])];

    // --- CRC and encoder layout ---------------------------------------------------------------------------------

    [Fact]
    public void Crc32_MatchesTheStandardCheckValues()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));   // the last four bytes of every PNG file
    }

    [Fact]
    public void Encode_WritesSignatureIhdrIdatIend()
    {
        byte[] file = Png.Encode(new PngImage(3, 2, 1, [1, 2, 3, 4, 5, 6]));

        Assert.Equal(Signature, file[..8]);
        Assert.Equal([0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 3, 0, 0, 0, 2, 8, 0, 0, 0, 0], file[8..29]);
        Assert.Equal(Crc32.Compute(file.AsSpan(12, 17)), BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(29)));
        Assert.Equal("IDAT"u8.ToArray(), file[37..41]);
        Assert.Equal([0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82], file[^12..]);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 4)]
    [InlineData(3, 2)]
    [InlineData(4, 6)]
    public void Encode_ThenRead_RoundTripsEveryChannelCount(int channels, byte colorType)
    {
        foreach (var (width, height) in new[] { (1, 1), (7, 5), (33, 17) })
        {
            var image = new PngImage(width, height, channels, RandomPixels(width * height * channels, seed: width * 10 + channels));
            byte[] file = Png.Encode(image);
            Assert.Equal(colorType, file[25]);   // IHDR colour type
            Assert.Equal(8, file[24]);           // bit depth

            var decoded = Decode(file);

            Assert.Equal((width, height, channels), (decoded.Width, decoded.Height, decoded.Channels));
            Assert.Equal(image.Pixels, decoded.Pixels);
        }
    }

    [Fact]
    public void Encode_SmoothImage_CompressesWellAndRoundTrips()
    {
        // A gradient: the filters (Sub/Up/Paeth) turn it into near-constant bytes.
        var pixels = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                (pixels[(y * 64 + x) * 3], pixels[(y * 64 + x) * 3 + 1], pixels[(y * 64 + x) * 3 + 2]) = ((byte)(4 * x), (byte)(4 * y), (byte)(2 * (x + y)));
        byte[] file = Png.Encode(new PngImage(64, 64, 3, pixels));
        Assert.True(file.Length < 1000, $"a 64×64 gradient took {file.Length} bytes");
        Assert.Equal(pixels, Decode(file).Pixels);
    }

    [Fact]
    public void Write_IsAtomicAndReadBackFromPath()
    {
        string path = Path.Combine(dir, "x.png");
        var image = new PngImage(4, 3, 3, RandomPixels(36, 5));
        Png.Write(path, image);
        Png.Write(path, image);   // replaces

        Assert.Equal([path], Directory.GetFiles(dir));   // no temporary file left
        Assert.Equal(image.Pixels, Png.Read(path).Pixels);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => Png.Read(Path.Combine(dir, "none.png")));

    // --- hand-built files: filters ------------------------------------------------------------------------------

    // Gray 3×2: row 0 = 10 20 30, row 1 = 40 60 80, both rows stored with the same filter, computed by hand.
    [Theory]
    [InlineData(0, new byte[] { 0, 10, 20, 30, 0, 40, 60, 80 })]
    [InlineData(1, new byte[] { 1, 10, 10, 10, 1, 40, 20, 20 })]
    [InlineData(2, new byte[] { 2, 10, 20, 30, 2, 30, 40, 50 })]
    [InlineData(3, new byte[] { 3, 10, 15, 20, 3, 35, 30, 35 })]   // x − ⌊(left + up) / 2⌋
    [InlineData(4, new byte[] { 4, 10, 10, 10, 4, 30, 20, 20 })]   // Paeth: row 0 predicts left; row 1 up, left, left
    public void Read_EachFilterType_Reconstructs(int filter, byte[] scanlines)
    {
        _ = filter;
        var image = Decode(Image(3, 2, 8, 0, scanlines));
        Assert.Equal((3, 2, 1), (image.Width, image.Height, image.Channels));
        Assert.Equal([10, 20, 30, 40, 60, 80], image.Pixels);
    }

    [Fact]
    public void Read_Filters_WrapModulo256()
    {
        // Row 0 (Sub): 200, 100 is stored 200, (100 − 200) mod 256 = 156; sums wrap back modulo 256.
        byte[] scanlines = [1, 200, 156, 3, 155, 0];   // row 1 (Average): 155 + ⌊(0 + 200)/2⌋ = 255, 0 + ⌊(255 + 100)/2⌋ = 177
        var image = Decode(Image(2, 2, 8, 0, scanlines));
        Assert.Equal([200, 100, 255, 177], image.Pixels);
    }

    [Fact]
    public void Read_RgbPaeth_UsesThreeBytePixelStride()
    {
        // Row 0 (None): (1,2,3) (4,5,6); row 1 (Paeth): (7,8,9) (10,11,12) stored as 6 6 6 3 3 3.
        byte[] scanlines = [0, 1, 2, 3, 4, 5, 6, 4, 6, 6, 6, 3, 3, 3];
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], Decode(Image(2, 2, 8, 2, scanlines)).Pixels);
    }

    // --- hand-built files: colour types and depths --------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Read_Palette_ExpandsIndicesToRgb(int depth)
    {
        int colors = Math.Min(1 << depth, 4);
        byte[] palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 8, 7];
        int[][] rows = [[0, 1, 0, 1, 1, 0, 0, 1, 1], [1, 1, 0, 0, 1, 0, 1, 0, 0]];   // 9 wide: the last byte is padded
        if (colors == 4) rows = [[0, 1, 2, 3, 1, 0, 3, 2, 1], [3, 2, 1, 0, 0, 1, 2, 3, 3]];
        byte[] scanlines = Unfiltered([.. rows.Select(r => depth == 8 ? r.Select(v => (byte)v).ToArray() : PackRow(r, depth))]);

        var image = Decode(Image(9, 2, depth, 3, scanlines, palette: palette[..(3 * colors)]));

        Assert.Equal(3, image.Channels);
        byte[] expected = [.. rows.SelectMany(r => r).SelectMany(i => palette[(3 * i)..(3 * i + 3)])];
        Assert.Equal(expected, image.Pixels);
    }

    [Fact]
    public void Read_PaletteWithTrns_GivesRgbaWithOpaqueDefault()
    {
        byte[] palette = [10, 20, 30, 40, 50, 60, 70, 80, 90];
        var image = Decode(Image(3, 1, 8, 3, Unfiltered([2, 0, 1]), palette, alpha: [0, 128]));   // entry 2 has no alpha: 255
        Assert.Equal(4, image.Channels);
        Assert.Equal([70, 80, 90, 255, 10, 20, 30, 0, 40, 50, 60, 128], image.Pixels);
    }

    [Theory]
    [InlineData(1, 255)]
    [InlineData(2, 85)]
    [InlineData(4, 17)]
    public void Read_LowDepthGray_ScalesToFullRange(int depth, int step)
    {
        int max = (1 << depth) - 1;
        int[] samples = [.. Enumerable.Range(0, 11).Select(i => i % (max + 1))];
        var image = Decode(Image(11, 1, depth, 0, Unfiltered(PackRow(samples, depth))));
        Assert.Equal(samples.Select(s => (byte)(s * step)).ToArray(), image.Pixels);
    }

    [Fact]
    public void Read_Gray16_RoundsToEightBits()
    {
        // v · 255 / 65535 rounded: 0 → 0, 65535 → 255, 0x8080 (32896) → 128, 0x00FF (255) → 1, 0x7F7F → 127.
        byte[] scanlines = [0, 0x00, 0x00, 0xFF, 0xFF, 0x80, 0x80, 0x00, 0xFF, 0x7F, 0x7F];
        Assert.Equal([0, 255, 128, 1, 127], Decode(Image(5, 1, 16, 0, scanlines)).Pixels);
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(4, 2)]
    [InlineData(6, 4)]
    public void Read_SixteenBitColor_KeepsTheHighByteRounded(int colorType, int channels)
    {
        // Sample k is 0xKK00 + 0xFF·k: each rounds to KK or KK + 1; sample 0x0101·v is exactly v.
        var samples = Enumerable.Range(0, 2 * channels).Select(k => (ushort)(0x0101 * (17 * k))).ToArray();
        byte[] row = [0, .. samples.SelectMany(s => new[] { (byte)(s >> 8), (byte)s })];
        var image = Decode(Image(2, 1, 16, colorType, row));
        Assert.Equal(channels, image.Channels);
        Assert.Equal(samples.Select(s => (byte)(s / 0x0101)).ToArray(), image.Pixels);
    }

    [Fact]
    public void Read_Adam7_8BitGray_PlacesEveryPass()
    {
        const int W = 10, H = 9;
        byte[] pixels = [.. Enumerable.Range(0, W * H).Select(i => (byte)i)];
        var image = Decode(Image(W, H, 8, 0, Adam7(pixels, W, H, depth: 8), interlace: 1));
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void Read_Adam7_2BitGray_PacksEachPassRowSeparately()
    {
        const int W = 7, H = 5;
        int[] samples = [.. Enumerable.Range(0, W * H).Select(i => (i * 7 + i / W) % 4)];
        var image = Decode(Image(W, H, 2, 0, Adam7([.. samples.Select(s => (byte)s)], W, H, depth: 2), interlace: 1));
        Assert.Equal(samples.Select(s => (byte)(85 * s)).ToArray(), image.Pixels);
    }

    [Fact]
    public void Read_Adam7_1x1_HasOnlyTheFirstPass() =>
        Assert.Equal([42], Decode(Image(1, 1, 8, 0, [0, 42], interlace: 1)).Pixels);

    /// <summary>Splits samples (one per byte) into the seven Adam7 passes, each row filter None and packed at <paramref name="depth"/>.</summary>
    static byte[] Adam7(byte[] samples, int width, int height, int depth)
    {
        (int X, int Y, int Dx, int Dy)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        var result = new List<byte>();
        foreach (var p in passes)
            for (int y = p.Y; y < height; y += p.Dy)
            {
                int[] row = [.. Enumerable.Range(0, width).Where(x => x >= p.X && (x - p.X) % p.Dx == 0).Select(x => (int)samples[y * width + x])];
                if (row.Length == 0) continue;
                result.Add(0);
                result.AddRange(depth == 8 ? row.Select(v => (byte)v) : PackRow(row, depth));
            }
        return [.. result];
    }

    [Fact]
    public void Read_SkipsAncillaryChunks()
    {
        byte[] file = File(Ihdr(2, 1, 8, 0), Chunk("tEXt", [.. "Comment"u8, 0, .. "hi"u8]), Chunk("IDAT", Zlib([0, 7, 9])), Chunk("zzZz"), Iend);
        Assert.Equal([7, 9], Decode(file).Pixels);
    }

    [Fact]
    public void Read_IdatSplitOverSeveralChunks_IsConcatenated()
    {
        byte[] z = Zlib([0, 1, 2, 0, 3, 4]);
        byte[] file = File(Ihdr(2, 2, 8, 0), Chunk("IDAT", z[..3]), Chunk("IDAT", z[3..5]), Chunk("IDAT", z[5..]), Iend);
        Assert.Equal([1, 2, 3, 4], Decode(file).Pixels);
    }

    // --- tensors ----------------------------------------------------------------------------------------------

    [Fact]
    public void ToTensor_Grayscale_ScalesBytesTo01()
    {
        var t = new PngImage(2, 1, 1, [0, 255]).ToTensor(grayscale: true);
        Assert.Equal([1, 1, 2], t.Shape);
        Assert.Equal([0f, 1f], t.ToArray<float>());
    }

    [Fact]
    public void ToTensor_RgbToGray_UsesPilLuma()
    {
        // L = (19595 R + 38470 G + 7471 B + 2^15) >> 16: red 76, green 150, blue 29, white 255.
        var image = new PngImage(4, 1, 3, [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
        Assert.Equal([76, 150, 29, 255], image.ToGrayscale().Pixels);
        Assert.Equal(new[] { 76f, 150f, 29f, 255f }.Select(v => v / 255), image.ToTensor(grayscale: true).ToArray<float>());
    }

    [Fact]
    public void ToTensor_Rgb_IsPlanarAndDropsAlpha()
    {
        var image = new PngImage(2, 1, 4, [10, 20, 30, 99, 40, 50, 60, 99]);
        var t = image.ToTensor();
        Assert.Equal([3, 1, 2], t.Shape);
        Assert.Equal(new[] { 10f, 40f, 20f, 50f, 30f, 60f }.Select(v => v / 255), t.ToArray<float>());
        Assert.Equal(new[] { 7f, 7f, 7f }.Select(v => v / 255), new PngImage(1, 1, 2, [7, 0]).ToTensor().ToArray<float>());
    }

    [Fact]
    public void FromTensor_ClampsRoundsAndInterleaves()
    {
        var t = Tensor.FromArray<float>([0f, 0.5f, -1f, 2f, 1f / 255, float.NaN], [2, 1, 3]);
        var image = PngImage.FromTensor(t);
        Assert.Equal((3, 1, 2), (image.Width, image.Height, image.Channels));
        Assert.Equal([0, 255, 128, 1, 0, 0], image.Pixels);
    }

    [Fact]
    public void FromTensor_ThenToTensor_RoundTripsBytes()
    {
        var image = new PngImage(5, 4, 3, RandomPixels(60, 3));
        Assert.Equal(image.Pixels, PngImage.FromTensor(image.ToTensor()).Pixels);
    }

    [Fact]
    public void FromTensor_RejectsWrongShapesAndDTypes()
    {
        Assert.Contains("expected [C, H, W] with C from 1 to 4", Assert.Throws<ArgumentException>(() => PngImage.FromTensor(Tensor.Zeros([5, 2, 2]))).Message);
        Assert.Contains("float32 or float64", Assert.Throws<ArgumentException>(() => PngImage.FromTensor(Tensor.Zeros([2, 2], DType.Int64))).Message);
    }

    [Fact]
    public void PngImage_RejectsMismatchedPixelCount() =>
        Assert.Equal("PngImage: 2×2 with 3 channels needs 12 bytes but 11 were given (Parameter 'pixels')",
            Assert.Throws<ArgumentException>(() => new PngImage(2, 2, 3, new byte[11])).Message);

    // --- malformed files ----------------------------------------------------------------------------------------

    static byte[] Valid() => Image(3, 2, 8, 0, [0, 1, 2, 3, 0, 4, 5, 6]);

    [Fact]
    public void Read_NotAPng_NamesTheSignature() =>
        Assert.Equal("png: t.png: does not start with the PNG signature 89 50 4E 47 0D 0A 1A 0A (starts 4749463839610100)",
            Error([.. "GIF89a"u8, 1, 0, 2, 0]));

    [Fact]
    public void Read_ShorterThanSignature_SaysSo() =>
        Assert.Equal("png: t.png: has 3 bytes, fewer than the 8-byte PNG signature", Error([0x89, 0x50, 0x4E]));

    [Fact]
    public void Read_CrcMismatch_NamesChunkAndBothValues()
    {
        byte[] file = Valid();
        file[19] ^= 0x01;   // the width's low byte, inside IHDR's data
        string message = Error(file);
        Assert.StartsWith("png: t.png: chunk IHDR at byte 8: CRC mismatch: stored 0x", message, StringComparison.Ordinal);
        Assert.EndsWith("(corrupt file)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileCutInsideIdat_SaysTruncated()
    {
        byte[] file = Valid();
        int idatLength = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(33));
        Assert.Equal($"png: t.png: chunk IDAT at byte 33: declares {idatLength} data bytes but only 2 follow before its CRC (truncated?)",
            Error(file[..(33 + 8 + 2 + 4)]));
    }

    [Fact]
    public void Read_IdatWithTruncatedZlibStream_IsRefused()
    {
        byte[] z = Zlib([0, 1, 2, 3, 0, 4, 5, 6]);
        string message = Error(File(Ihdr(3, 2, 8, 0), Chunk("IDAT", z[..(z.Length / 2)]), Iend));
        Assert.StartsWith("png: t.png: chunk IDAT: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_IdatTooShortForTheImage_SaysHowMuch() =>
        Assert.Equal("png: t.png: chunk IDAT: image data inflates to 4 bytes but the 3×2 gray image needs 8 (truncated or corrupt)",
            Error(File(Ihdr(3, 2, 8, 0), Chunk("IDAT", Zlib([0, 1, 2, 3])), Iend)));

    [Fact]
    public void Read_IdatTooLong_SaysSo() =>
        Assert.Equal("png: t.png: chunk IDAT: image data inflates to more than the 8 bytes the 3×2 image needs",
            Error(File(Ihdr(3, 2, 8, 0), Chunk("IDAT", Zlib([0, 1, 2, 3, 0, 4, 5, 6, 0])), Iend)));

    [Fact]
    public void Read_CorruptZlib_IsWrapped()
    {
        string message = Error(File(Ihdr(3, 2, 8, 0), Chunk("IDAT", 0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), Iend));
        Assert.StartsWith("png: t.png: chunk IDAT: ", message, StringComparison.Ordinal);
    }

    public static TheoryData<byte[], string> BadHeaders() => new()
    {
        { Ihdr(0, 2, 8, 0), "width 0 is invalid; expected 1 to 2147483647" },
        { Ihdr(2, 0, 8, 0), "height 0 is invalid; expected 1 to 2147483647" },
        { Ihdr(-1, 2, 8, 0), "width 4294967295 is invalid; expected 1 to 2147483647" },
        { Ihdr(2, 2, 8, 5), "color type 5 is invalid; expected 0 (gray), 2 (RGB), 3 (palette), 4 (gray + alpha) or 6 (RGBA)" },
        { Ihdr(2, 2, 4, 2), "bit depth 4 is invalid for color type 2 (RGB); expected 8, 16" },
        { Ihdr(2, 2, 16, 3), "bit depth 16 is invalid for color type 3 (palette); expected 1, 2, 4, 8" },
        { Ihdr(2, 2, 3, 0), "bit depth 3 is invalid for color type 0 (gray); expected 1, 2, 4, 8, 16" },
        { Ihdr(2, 2, 8, 0, compression: 1), "compression method 1 is invalid; PNG defines only 0 (deflate)" },
        { Ihdr(2, 2, 8, 0, filter: 1), "filter method 1 is invalid; PNG defines only 0 (adaptive, five filter types)" },
        { Ihdr(2, 2, 8, 0, interlace: 2), "interlace method 2 is invalid; expected 0 (none) or 1 (Adam7)" },
        { Chunk("IHDR", 0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0), "has 12 data bytes; expected 13" },
    };

    [Theory, MemberData(nameof(BadHeaders))]
    public void Read_BadIhdr_NamesTheField(byte[] ihdr, string problem) =>
        Assert.Equal($"png: t.png: chunk IHDR: {problem}", Error(File(ihdr, Chunk("IDAT", Zlib([0, 0, 0, 0, 0, 0])), Iend)));

    [Fact]
    public void Read_HugeDimensions_AreRefusedBeforeAllocating() =>
        Assert.StartsWith("png: t.png: chunk IHDR: image 2147483647×2147483647 (RGBA, 16-bit) needs ",
            Error(File(Ihdr(int.MaxValue, int.MaxValue, 16, 6), Chunk("IDAT", Zlib([0])), Iend)), StringComparison.Ordinal);

    [Fact]
    public void Read_UnknownCriticalChunk_IsRefused() =>
        Assert.Equal("png: t.png: chunk ABCD at byte 33: unknown critical chunk; this decoder knows IHDR, PLTE, IDAT and IEND",
            Error(File(Ihdr(1, 1, 8, 0), Chunk("ABCD", 1, 2, 3), Chunk("IDAT", Zlib([0, 5])), Iend)));

    [Fact]
    public void Read_ChunkTypeNotLetters_IsRefused() =>
        Assert.Equal("png: t.png: the chunk at byte 33 has type bytes 49443154; a chunk type is four ASCII letters",
            Error(File(Ihdr(1, 1, 8, 0), Chunk("ID1T", 1), Iend)));

    [Fact]
    public void Read_FirstChunkNotIhdr_IsRefused() =>
        Assert.Equal("png: t.png: the first chunk is IDAT; a PNG file must start with IHDR", Error(File(Chunk("IDAT", Zlib([0, 5])), Iend)));

    [Fact]
    public void Read_SecondIhdr_IsRefused() =>
        Assert.Equal("png: t.png: chunk IHDR at byte 33: a second IHDR; a PNG file has exactly one", Error(File(Ihdr(1, 1, 8, 0), Ihdr(1, 1, 8, 0), Iend)));

    [Fact]
    public void Read_MissingIend_SaysTruncated()
    {
        byte[] file = Valid();
        Assert.Equal($"png: t.png: ends after {file.Length - 12} bytes without an IEND chunk (truncated?)", Error(file[..^12]));
    }

    [Fact]
    public void Read_PartialChunkHeader_SaysTruncated()
    {
        byte[] file = Valid();
        Assert.Equal($"png: t.png: ends inside the chunk at byte {file.Length - 12}: 5 bytes left, a chunk takes at least 12 (truncated?)", Error(file[..^7]));
    }

    [Fact]
    public void Read_NoIdat_IsRefused() =>
        Assert.Equal("png: t.png: has no IDAT chunk, so no image data", Error(File(Ihdr(1, 1, 8, 0), Iend)));

    [Fact]
    public void Read_IendWithData_IsRefused() =>
        Assert.Equal("png: t.png: chunk IEND: has 1 data bytes; expected 0", Error(File(Ihdr(1, 1, 8, 0), Chunk("IDAT", Zlib([0, 5])), Chunk("IEND", 0))));

    [Fact]
    public void Read_SplitIdatRuns_AreRefused() =>
        Assert.Equal("png: t.png: chunk IDAT at byte 64: follows another chunk after the first IDAT run; IDAT chunks must be consecutive",
            Error(File(Ihdr(2, 1, 8, 0), Chunk("IDAT", Zlib([0, 5, 6])[..4]), Chunk("tEXt", 65, 0, 66), Chunk("IDAT", Zlib([0, 5, 6])[4..]), Iend)));

    [Fact]
    public void Read_PaletteImageWithoutPlte_IsRefused() =>
        Assert.Equal("png: t.png: chunk IDAT: comes before PLTE; a palette image needs its PLTE chunk first", Error(Image(1, 1, 8, 3, [0, 0])));

    [Fact]
    public void Read_PlteInGrayImage_IsRefused() =>
        Assert.Equal("png: t.png: chunk PLTE: not allowed for color type 0 (gray)", Error(Image(1, 1, 8, 0, [0, 0], palette: [1, 2, 3])));

    [Fact]
    public void Read_PlteLengthNotTriples_IsRefused() =>
        Assert.Equal("png: t.png: chunk PLTE: 4 bytes; expected 3 to 768, three (R, G, B) per entry", Error(Image(1, 1, 8, 3, [0, 0], palette: [1, 2, 3, 4])));

    [Fact]
    public void Read_PlteLargerThanDepthAllows_IsRefused() =>
        Assert.Equal("png: t.png: chunk PLTE: 3 entries, but a 1-bit palette image indexes at most 2", Error(Image(1, 1, 1, 3, [0, 0], palette: new byte[9])));

    [Fact]
    public void Read_PaletteIndexOutOfRange_NamesThePixel() =>
        Assert.Equal("png: t.png: chunk IDAT: pixel (1, 0) has palette index 2 but PLTE has only 2 entries",
            Error(Image(2, 1, 8, 3, [0, 1, 2], palette: [1, 2, 3, 4, 5, 6])));

    [Fact]
    public void Read_TrnsLongerThanPalette_IsRefused() =>
        Assert.Equal("png: t.png: chunk tRNS: 3 alpha values, but PLTE has only 2 entries",
            Error(Image(1, 1, 8, 3, [0, 0], palette: [1, 2, 3, 4, 5, 6], alpha: [1, 2, 3])));

    [Fact]
    public void Read_UnknownFilterType_NamesTheRow() =>
        Assert.Equal("png: t.png: chunk IDAT: row 1 has filter type 5; expected 0 (None), 1 (Sub), 2 (Up), 3 (Average) or 4 (Paeth)",
            Error(Image(2, 2, 8, 0, [0, 1, 2, 5, 3, 4])));

    [Fact]
    public void Read_UnknownFilterTypeInAdam7Pass_NamesThePass() =>
        Assert.Equal("png: t.png: chunk IDAT: row 1 (Adam7 pass 7) has filter type 9; expected 0 (None), 1 (Sub), 2 (Up), 3 (Average) or 4 (Paeth)",
            Error(Image(1, 2, 8, 0, [0, 1, 9, 2], interlace: 1)));

    // --- fuzzing ------------------------------------------------------------------------------------------------

    /// <summary>Valid files of several kinds, each with an ancillary chunk, to mutate.</summary>
    static byte[][] FuzzSeeds()
    {
        byte[] rgb = Png.Encode(new PngImage(13, 11, 3, RandomPixels(13 * 11 * 3, 9)));
        byte[] text = Chunk("tEXt", [.. "Title"u8, 0, .. "fuzz"u8]);
        return
        [
            [.. rgb[..33], .. text, .. rgb[33..]],
            Image(9, 2, 2, 3, Unfiltered(PackRow([0, 1, 2, 3, 1, 0, 3, 2, 1], 2), PackRow([3, 2, 1, 0, 0, 1, 2, 3, 3], 2)),
                palette: [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 8, 7], alpha: [0, 100]),
            Image(10, 9, 8, 0, Adam7([.. Enumerable.Range(0, 90).Select(i => (byte)i)], 10, 9, 8), interlace: 1),
            Image(2, 2, 16, 4, [3, 1, 2, 3, 4, 5, 6, 7, 8, 4, 9, 10, 11, 12, 13, 14, 15, 16]),
        ];
    }

    /// <summary>Recomputes the CRC of the chunk holding byte <paramref name="at"/>, so a mutation reaches the chunk's parser.</summary>
    static void RepairCrc(byte[] file, int at)
    {
        for (int start = 8; start + 12 <= file.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(start));
            if (start + 12 + length > file.Length) return;
            if (at < start + 8 + length)
            {
                BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(start + 8 + (int)length), Crc32.Compute(file.AsSpan(start + 4, 4 + (int)length)));
                return;
            }
            start += 12 + (int)length;
        }
    }

    [Fact]
    public void Read_2000SeededMutationsAndTruncations_DecodeOrThrowInvalidDataOnly()
    {
        var seeds = FuzzSeeds();
        foreach (var seed in seeds) Decode(seed);   // every seed is valid
        var random = new Random(20240611);
        var failures = new List<string>();
        int refused = 0, decoded = 0;
        for (int i = 0; i < 2000; i++)
        {
            byte[] file = [.. seeds[i % seeds.Length]];
            string what;
            switch (i % 4)
            {
                case 0:   // any byte, any value
                {
                    int at = random.Next(file.Length);
                    file[at] ^= (byte)random.Next(1, 256);
                    what = $"byte {at} changed";
                    break;
                }
                case 1:   // a byte past the signature, with its chunk's CRC repaired
                case 2:
                {
                    int at = random.Next(8, file.Length);
                    file[at] = (byte)random.Next(256);
                    RepairCrc(file, at);
                    what = $"byte {at} set to {file[at]}, CRC repaired";
                    break;
                }
                default:
                {
                    int length = random.Next(file.Length);
                    file = file[..length];
                    what = $"truncated to {length} bytes";
                    break;
                }
            }
            try
            {
                Decode(file);
                decoded++;
            }
            catch (InvalidDataException e)
            {
                refused++;
                if (!e.Message.StartsWith("png: t.png: ", StringComparison.Ordinal)) failures.Add($"#{i} ({what}): message '{e.Message}'");
            }
#pragma warning disable CA1031 // The point of the test: any other exception is a failure to report.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"#{i} ({what}): {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        Assert.Equal(2000, refused + decoded);
        Assert.True(refused > 1000, $"only {refused} of 2000 mutations were refused");
    }
}
