using System.Buffers.Binary;
using System.Text;

namespace Nabla.IO;

/// <summary>Walks a PNG file's chunks (ISO/IEC 15948, 5.3): each is a big-endian length, a four-letter type, the data and
/// a CRC-32 of type and data. Checks every CRC, every length against the bytes present, and the chunk order
/// (IHDR first, PLTE before IDAT, IDAT chunks consecutive, IEND last); refuses unknown critical chunks and skips
/// ancillary ones (lowercase first letter). Bytes after IEND are ignored.</summary>
internal static class PngChunkReader
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads the chunks of <paramref name="file"/>, naming <paramref name="source"/> in errors.</summary>
    /// <exception cref="InvalidDataException">The file breaks the format.</exception>
    public static PngContents Read(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length < Signature.Length || !file[..Signature.Length].SequenceEqual(Signature))
            throw PngError.File(source, file.Length < Signature.Length
                ? $"has {file.Length} bytes, fewer than the 8-byte PNG signature"
                : $"does not start with the PNG signature 89 50 4E 47 0D 0A 1A 0A (starts {Convert.ToHexString(file[..Signature.Length])})");

        PngHeader? header = null;
        byte[]? palette = null, paletteAlpha = null;
        using var compressed = new MemoryStream();
        bool idatSeen = false, idatEnded = false;
        int at = Signature.Length;
        while (true)
        {
            if (at == file.Length)
                throw PngError.File(source, $"ends after {file.Length} bytes without an IEND chunk (truncated?)");
            if (file.Length - at < 12)
                throw PngError.File(source, $"ends inside the chunk at byte {at}: {file.Length - at} bytes left, a chunk takes at least 12 (truncated?)");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[at..]);
            var typeBytes = file.Slice(at + 4, 4);
            if (!IsLetters(typeBytes))
                throw PngError.File(source, $"the chunk at byte {at} has type bytes {Convert.ToHexString(typeBytes)}; a chunk type is four ASCII letters");
            string type = Encoding.ASCII.GetString(typeBytes);
            long room = file.Length - at - 12L;
            if (length > room)
                throw PngError.Chunk(source, $"{type} at byte {at}", $"declares {length} data bytes but only {room} follow before its CRC (truncated?)");
            var data = file.Slice(at + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(at + 8 + (int)length)..]);
            uint computed = Crc32.Compute(file.Slice(at + 4, 4 + (int)length));
            if (stored != computed)
                throw PngError.Chunk(source, $"{type} at byte {at}", $"CRC mismatch: stored 0x{stored:X8}, computed 0x{computed:X8} (corrupt file)");
            int chunkStart = at;
            at += 12 + (int)length;

            if (header is null)
            {
                if (type != "IHDR") throw PngError.File(source, $"the first chunk is {type}; a PNG file must start with IHDR");
                header = PngHeader.Parse(data, source);
                continue;
            }
            var h = header.Value;
            if (idatSeen && type != "IDAT") idatEnded = true;
            switch (type)
            {
                case "IHDR":
                    throw PngError.Chunk(source, $"IHDR at byte {chunkStart}", "a second IHDR; a PNG file has exactly one");
                case "PLTE":
                    palette = ReadPalette(data, h, palette is not null, idatSeen, source);
                    break;
                case "tRNS":
                    // Only a palette's alpha values are kept; the colour key of gray and RGB images is not applied.
                    if (h.ColorType == PngColorType.Palette)
                        paletteAlpha = ReadPaletteAlpha(data, palette, idatSeen, source);
                    break;
                case "IDAT":
                    if (idatEnded) throw PngError.Chunk(source, $"IDAT at byte {chunkStart}", "follows another chunk after the first IDAT run; IDAT chunks must be consecutive");
                    if (h.ColorType == PngColorType.Palette && palette is null)
                        throw PngError.Chunk(source, type, "comes before PLTE; a palette image needs its PLTE chunk first");
                    compressed.Write(data);
                    idatSeen = true;
                    break;
                case "IEND":
                    if (length != 0) throw PngError.Chunk(source, type, $"has {length} data bytes; expected 0");
                    if (!idatSeen) throw PngError.File(source, "has no IDAT chunk, so no image data");
                    return new PngContents(h, h.ColorType == PngColorType.Palette ? palette : null, paletteAlpha, compressed.ToArray());
                default:
                    if ((typeBytes[0] & 0x20) == 0)   // bit 5 of the first byte clear (uppercase): critical
                        throw PngError.Chunk(source, $"{type} at byte {chunkStart}", "unknown critical chunk; this decoder knows IHDR, PLTE, IDAT and IEND");
                    break;
            }
        }
    }

    private static bool IsLetters(ReadOnlySpan<byte> type)
    {
        foreach (byte b in type)
            if (!char.IsAsciiLetter((char)b)) return false;
        return true;
    }

    private static byte[] ReadPalette(ReadOnlySpan<byte> data, PngHeader header, bool seen, bool afterIdat, string source)
    {
        if (header.ColorType is PngColorType.Gray or PngColorType.GrayAlpha)
            throw PngError.Chunk(source, "PLTE", $"not allowed for color type {(byte)header.ColorType} ({PngHeader.Describe(header.ColorType)})");
        if (seen) throw PngError.Chunk(source, "PLTE", "a second PLTE; a PNG file has at most one");
        if (afterIdat) throw PngError.Chunk(source, "PLTE", "comes after IDAT; it must come before the image data");
        if (data.Length is 0 or > 768 || data.Length % 3 != 0)
            throw PngError.Chunk(source, "PLTE", $"{data.Length} bytes; expected 3 to 768, three (R, G, B) per entry");
        int entries = data.Length / 3;
        if (header.ColorType == PngColorType.Palette && entries > 1 << header.BitDepth)
            throw PngError.Chunk(source, "PLTE", $"{entries} entries, but a {header.BitDepth}-bit palette image indexes at most {1 << header.BitDepth}");
        return data.ToArray();
    }

    private static byte[] ReadPaletteAlpha(ReadOnlySpan<byte> data, byte[]? palette, bool afterIdat, string source)
    {
        if (palette is null) throw PngError.Chunk(source, "tRNS", "comes before PLTE; a palette image's tRNS must follow it");
        if (afterIdat) throw PngError.Chunk(source, "tRNS", "comes after IDAT; it must come before the image data");
        if (data.Length > palette.Length / 3)
            throw PngError.Chunk(source, "tRNS", $"{data.Length} alpha values, but PLTE has only {palette.Length / 3} entries");
        return data.ToArray();
    }
}
