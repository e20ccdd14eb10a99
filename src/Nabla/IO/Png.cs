using System.IO.Compression;

namespace Nabla.IO;

/// <summary>Reads and writes PNG images (ISO/IEC 15948) in pure C#, with zlib from <see cref="ZLibStream"/>.</summary>
/// <remarks>
/// Reads every colour type: gray (1, 2, 4, 8, 16 bits), gray + alpha, RGB, RGBA (8, 16 bits) and palette (1, 2, 4, 8
/// bits, with tRNS alpha), non-interlaced or Adam7; samples come out as 8-bit (16-bit rounded as v · 255 / 65535),
/// palettes expanded to RGB or RGBA. Every chunk's CRC-32 is checked, and IHDR, PLTE, IDAT and IEND against the
/// specification; ancillary chunks (gAMA, tEXt, …) are skipped, so gamma and colour profiles are not applied.
/// Errors are <see cref="InvalidDataException"/>s whose messages start "png: SOURCE:" and name the chunk at fault.
/// Writes 8-bit gray, gray + alpha, RGB and RGBA, non-interlaced.
/// </remarks>
public static class Png
{
    /// <summary>Reads the PNG file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid PNG; the message names it, the chunk and the rule.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static PngImage Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return PngDecoder.Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes a PNG file held in memory.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="sourceName">What to call the file in error messages, e.g. its name.</param>
    /// <exception cref="InvalidDataException">The bytes are not a valid PNG; the message names the source, the chunk and the rule.</exception>
    public static PngImage Read(ReadOnlySpan<byte> bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        return PngDecoder.Decode(bytes, sourceName);
    }

    /// <summary>Encodes <paramref name="image"/> as an 8-bit, non-interlaced PNG file: gray, gray + alpha, RGB or RGBA by its channels.</summary>
    public static byte[] Encode(PngImage image, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(image);
        return PngEncoder.Encode(image, compression);
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> atomically (temporary file, flush to disk, rename),
    /// so readers see the old file or the whole new one.</summary>
    public static void Write(string path, PngImage image, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Encode(image, compression);
        using var file = new AtomicFileWriter(path);
        file.Stream.Write(bytes);
        file.Commit();
    }
}
