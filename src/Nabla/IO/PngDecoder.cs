using System.IO.Compression;

namespace Nabla.IO;

/// <summary>Turns a PNG file's chunks into 8-bit pixels: inflates the IDAT stream (zlib, Adler-32 checked), reverses
/// each row's filter, spreads Adam7 passes over the image, and converts samples: 16-bit to 8-bit by
/// round(v · 255 / 65535), 1/2/4-bit gray to 8-bit by v · 255 / (2ᵈ − 1), palette indices to RGB (RGBA with tRNS).</summary>
internal static class PngDecoder
{
    // Adam7's seven passes (ISO/IEC 15948, 8.2): first column, first row, column step, row step.
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    private static readonly (int X, int Y, int Dx, int Dy)[] Progressive = [(0, 0, 1, 1)];

    /// <summary>Decodes a whole PNG file.</summary>
    /// <exception cref="InvalidDataException">The file breaks the format or is too large to hold; the message names <paramref name="source"/>.</exception>
    public static PngImage Decode(ReadOnlySpan<byte> file, string source)
    {
        var png = PngChunkReader.Read(file, source);
        var h = png.Header;
        var passes = h.Interlaced ? Adam7 : Progressive;
        int channels = OutputChannels(png);

        Int128 rawLength = 0;   // up to 2³¹ rows of 2³⁴ bytes: beyond long
        foreach (var p in passes)
        {
            var (width, height) = PassSize(h, p);
            if (width > 0 && height > 0) rawLength += height * (1 + (Int128)h.RowBytes(width));   // a filter-type byte per row
        }
        Int128 pixelLength = (Int128)h.Width * h.Height * channels;
        if (rawLength > Array.MaxLength || pixelLength > Array.MaxLength)
            throw PngError.Chunk(source, "IHDR", $"image {h.Width}×{h.Height} ({PngHeader.Describe(h.ColorType)}, {h.BitDepth}-bit) needs {Int128.Max(rawLength, pixelLength)} bytes; this decoder holds at most {Array.MaxLength}");

        byte[] raw = Inflate(png.Compressed, (int)rawLength, h, source);
        var pixels = new byte[(int)pixelLength];
        int offset = 0;
        for (int i = 0; i < passes.Length; i++)
            offset = DecodePass(raw, offset, png, passes[i], h.Interlaced ? i + 1 : 0, channels, pixels, source);
        return new PngImage(h.Width, h.Height, channels, pixels);
    }

    private static int OutputChannels(PngContents png) => png.Header.ColorType switch
    {
        PngColorType.Palette => png.PaletteAlpha is null ? 3 : 4,
        _ => png.Header.SamplesPerPixel,
    };

    private static (int Width, int Height) PassSize(PngHeader h, (int X, int Y, int Dx, int Dy) p) =>
        (h.Width > p.X ? (h.Width - p.X + p.Dx - 1) / p.Dx : 0, h.Height > p.Y ? (h.Height - p.Y + p.Dy - 1) / p.Dy : 0);

    /// <summary>Inflates exactly <paramref name="expected"/> bytes, growing the buffer only as data arrives, so a
    /// forged header cannot make the decoder allocate what the stream does not hold.</summary>
    private static byte[] Inflate(byte[] compressed, int expected, PngHeader h, string source)
    {
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            byte[] data = new byte[Math.Min(expected, 1 << 20)];
            int filled = 0;
            while (true)
            {
                filled += zlib.ReadAtLeast(data.AsSpan(filled), data.Length - filled, throwOnEndOfStream: false);
                if (filled < data.Length || data.Length == expected) break;
                Array.Resize(ref data, (int)Math.Min(expected, 2L * data.Length));
            }
            if (filled < expected)
                throw PngError.Chunk(source, "IDAT", $"image data inflates to {filled} bytes but the {h.Width}×{h.Height} {PngHeader.Describe(h.ColorType)} image needs {expected} (truncated or corrupt)");
            // Reading on to the end of the stream checks its Adler-32 and finds data beyond the image.
            Span<byte> probe = stackalloc byte[1];
            if (zlib.Read(probe) > 0)
                throw PngError.Chunk(source, "IDAT", $"image data inflates to more than the {expected} bytes the {h.Width}×{h.Height} image needs");
            return data;
        }
        // Corrupt deflate data surfaces as InvalidDataException, or as ZLibException (an IOException) for some
        // inconsistent streams; reading a MemoryStream raises no other IOException.
        catch (Exception e) when (e is IOException || (e is InvalidDataException && !e.Message.StartsWith("png:", StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"png: {source}: chunk IDAT: zlib stream is corrupt: {e.Message}", e);
        }
    }

    /// <summary>Unfilters and converts one pass's rows (the whole image when not interlaced); returns the offset after them.</summary>
    private static int DecodePass(byte[] raw, int offset, PngContents png, (int X, int Y, int Dx, int Dy) pass, int passNumber,
        int channels, byte[] pixels, string source)
    {
        var h = png.Header;
        var (width, height) = PassSize(h, pass);
        if (width == 0 || height == 0) return offset;   // an empty pass stores nothing, not even filter bytes
        int rowBytes = (int)h.RowBytes(width), stride = h.FilterStride;
        ReadOnlySpan<byte> previous = new byte[rowBytes];   // zeros above the first row
        var converted = new byte[width * channels];
        for (int r = 0; r < height; r++)
        {
            int y = pass.Y + r * pass.Dy;
            byte filter = raw[offset];
            if (filter >= PngFilter.Count)
                throw PngError.Chunk(source, "IDAT", $"row {y}{(passNumber > 0 ? $" (Adam7 pass {passNumber})" : "")} has filter type {filter}; expected 0 (None), 1 (Sub), 2 (Up), 3 (Average) or 4 (Paeth)");
            var row = raw.AsSpan(offset + 1, rowBytes);
            PngFilter.Unfilter(filter, row, previous, stride);
            int bad = ConvertRow(row, width, png, converted);
            if (bad >= 0)
                throw PngError.Chunk(source, "IDAT", $"pixel ({pass.X + bad * pass.Dx}, {y}) has palette index {Sample(row, bad, h.BitDepth)} but PLTE has only {png.Palette!.Length / 3} entries");   // bad ≥ 0 only for palette images
            if (pass.Dx == 1)
                converted.CopyTo(pixels.AsSpan(y * h.Width * channels));
            else
                for (int i = 0; i < width; i++)
                    converted.AsSpan(i * channels, channels).CopyTo(pixels.AsSpan((y * h.Width + pass.X + i * pass.Dx) * channels));
            previous = row;
            offset += 1 + rowBytes;
        }
        return offset;
    }

    /// <summary>One unfiltered row of stored samples as 8-bit output pixels; returns −1, or the column of a palette
    /// index beyond the palette.</summary>
    private static int ConvertRow(ReadOnlySpan<byte> row, int width, PngContents png, Span<byte> output)
    {
        var h = png.Header;
        if (png.Palette is { } palette)
        {
            var alpha = png.PaletteAlpha;
            int entries = palette.Length / 3, channels = alpha is null ? 3 : 4;
            for (int i = 0; i < width; i++)
            {
                int index = Sample(row, i, h.BitDepth);
                if (index >= entries) return i;
                var pixel = output.Slice(i * channels, channels);
                palette.AsSpan(3 * index, 3).CopyTo(pixel);
                if (alpha is not null) pixel[3] = index < alpha.Length ? alpha[index] : (byte)255;
            }
        }
        else if (h.BitDepth == 16)
        {
            for (int i = 0; i < output.Length; i++)
            {
                int v = row[2 * i] << 8 | row[2 * i + 1];   // big-endian
                output[i] = (byte)((v * 255 + 32767) / 65535);
            }
        }
        else if (h.BitDepth == 8)
        {
            row[..output.Length].CopyTo(output);
        }
        else
        {
            int scale = 255 / ((1 << h.BitDepth) - 1);   // 1-bit ×255, 2-bit ×85, 4-bit ×17: exact
            for (int i = 0; i < width; i++) output[i] = (byte)(Sample(row, i, h.BitDepth) * scale);
        }
        return -1;
    }

    /// <summary>Sample <paramref name="i"/> of a row of 1-, 2-, 4- or 8-bit samples, packed from the most significant bit.</summary>
    private static int Sample(ReadOnlySpan<byte> row, int i, int depth)
    {
        if (depth == 8) return row[i];
        int bit = i * depth;
        return (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    }
}
