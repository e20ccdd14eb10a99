using System.Buffers.Binary;

namespace Nabla.IO;

/// <summary>The IHDR chunk: image size, sample format and interlacing, validated against the specification's table.</summary>
/// <param name="Width">Pixels per row, 1 to 2³¹ − 1.</param>
/// <param name="Height">Rows, 1 to 2³¹ − 1.</param>
/// <param name="BitDepth">Bits per sample (per palette index for <see cref="PngColorType.Palette"/>).</param>
/// <param name="ColorType">How samples make a pixel.</param>
/// <param name="Interlaced">Adam7 interlacing (method 1) rather than none (method 0).</param>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    /// <summary>IHDR's data length.</summary>
    public const int Length = 13;

    /// <summary>Samples per pixel as stored: 1 gray or palette index, 2 gray + alpha, 3 RGB, 4 RGBA.</summary>
    public int SamplesPerPixel => ColorType switch
    {
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgb => 3,
        PngColorType.Rgba => 4,
        _ => 1,
    };

    /// <summary>Bits per stored pixel.</summary>
    public int BitsPerPixel => SamplesPerPixel * BitDepth;

    /// <summary>The distance in bytes between a byte and the one the Sub, Average and Paeth filters predict it from:
    /// bytes per complete pixel, at least 1 (ISO/IEC 15948, 9.2).</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);

    /// <summary>Bytes of one stored row of <paramref name="width"/> pixels, without its filter-type byte.</summary>
    public long RowBytes(int width) => ((long)width * BitsPerPixel + 7) / 8;

    /// <summary>Parses and validates IHDR's 13 bytes.</summary>
    public static PngHeader Parse(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length != Length)
            throw PngError.Chunk(source, "IHDR", $"has {data.Length} data bytes; expected {Length}");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int depth = data[8];
        byte colorType = data[9];
        if (width is 0 or > int.MaxValue)
            throw PngError.Chunk(source, "IHDR", $"width {width} is invalid; expected 1 to {int.MaxValue}");
        if (height is 0 or > int.MaxValue)
            throw PngError.Chunk(source, "IHDR", $"height {height} is invalid; expected 1 to {int.MaxValue}");
        int[] allowed = colorType switch
        {
            (byte)PngColorType.Gray => [1, 2, 4, 8, 16],
            (byte)PngColorType.Palette => [1, 2, 4, 8],
            (byte)PngColorType.Rgb or (byte)PngColorType.GrayAlpha or (byte)PngColorType.Rgba => [8, 16],
            _ => throw PngError.Chunk(source, "IHDR", $"color type {colorType} is invalid; expected 0 (gray), 2 (RGB), 3 (palette), 4 (gray + alpha) or 6 (RGBA)"),
        };
        if (Array.IndexOf(allowed, depth) < 0)
            throw PngError.Chunk(source, "IHDR", $"bit depth {depth} is invalid for color type {colorType} ({Describe((PngColorType)colorType)}); expected {string.Join(", ", allowed)}");
        if (data[10] != 0)
            throw PngError.Chunk(source, "IHDR", $"compression method {data[10]} is invalid; PNG defines only 0 (deflate)");
        if (data[11] != 0)
            throw PngError.Chunk(source, "IHDR", $"filter method {data[11]} is invalid; PNG defines only 0 (adaptive, five filter types)");
        if (data[12] > 1)
            throw PngError.Chunk(source, "IHDR", $"interlace method {data[12]} is invalid; expected 0 (none) or 1 (Adam7)");
        return new PngHeader((int)width, (int)height, depth, (PngColorType)colorType, data[12] == 1);
    }

    /// <summary>"RGB", "palette", …</summary>
    public static string Describe(PngColorType colorType) => colorType switch
    {
        PngColorType.Gray => "gray",
        PngColorType.Rgb => "RGB",
        PngColorType.Palette => "palette",
        PngColorType.GrayAlpha => "gray + alpha",
        _ => "RGBA",
    };

    /// <summary>The 13 IHDR bytes of a non-interlaced image.</summary>
    public byte[] Encode()
    {
        var data = new byte[Length];
        BinaryPrimitives.WriteInt32BigEndian(data, Width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), Height);
        data[8] = (byte)BitDepth;
        data[9] = (byte)ColorType;
        data[12] = Interlaced ? (byte)1 : (byte)0;
        return data;
    }
}
