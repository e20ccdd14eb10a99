using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>Builds PNG files byte by byte, as the specification lays them out, for decoder tests.</summary>
internal static class PngBytes
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Length, type, data, CRC-32 of type and data.</summary>
    public static byte[] Chunk(string type, params byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Ihdr(int width, int height, int depth, int colorType, int interlace = 0, int compression = 0, int filter = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(data, width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), height);
        data[8] = (byte)depth;
        data[9] = (byte)colorType;
        data[10] = (byte)compression;
        data[11] = (byte)filter;
        data[12] = (byte)interlace;
        return Chunk("IHDR", data);
    }

    public static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal)) zlib.Write(raw);
        return output.ToArray();
    }

    public static byte[] Iend => Chunk("IEND");

    /// <summary>Signature followed by the chunks, as given.</summary>
    public static byte[] File(params byte[][] chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    /// <summary>A complete file: IHDR, optional PLTE and tRNS, one IDAT of the zlib-compressed filtered scanlines, IEND.</summary>
    public static byte[] Image(int width, int height, int depth, int colorType, byte[] scanlines, byte[]? palette = null, byte[]? alpha = null, int interlace = 0)
    {
        var chunks = new List<byte[]> { Ihdr(width, height, depth, colorType, interlace) };
        if (palette is not null) chunks.Add(Chunk("PLTE", palette));
        if (alpha is not null) chunks.Add(Chunk("tRNS", alpha));
        chunks.Add(Chunk("IDAT", Zlib(scanlines)));
        chunks.Add(Iend);
        return File([.. chunks]);
    }
}
