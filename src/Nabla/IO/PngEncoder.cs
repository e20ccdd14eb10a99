using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Nabla.IO;

/// <summary>Writes an 8-bit, non-interlaced PNG: signature, IHDR, one IDAT, IEND. Each row takes the filter with the
/// smallest sum of |byte| read as signed (libpng's heuristic), which usually compresses best.</summary>
internal static class PngEncoder
{
    /// <summary>The encoded file.</summary>
    public static byte[] Encode(PngImage image, CompressionLevel level)
    {
        var colorType = image.Channels switch
        {
            1 => PngColorType.Gray,
            2 => PngColorType.GrayAlpha,
            3 => PngColorType.Rgb,
            _ => PngColorType.Rgba,
        };
        var header = new PngHeader(image.Width, image.Height, 8, colorType, Interlaced: false);
        using var output = new MemoryStream();
        output.Write(PngChunkReader.Signature);
        WriteChunk(output, "IHDR", header.Encode());
        WriteChunk(output, "IDAT", Compress(image, header, level));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static byte[] Compress(PngImage image, PngHeader header, CompressionLevel level)
    {
        int rowBytes = image.Width * image.Channels, stride = header.FilterStride;
        var candidates = new byte[PngFilter.Count][];
        for (int f = 0; f < candidates.Length; f++) candidates[f] = new byte[1 + rowBytes];
        ReadOnlySpan<byte> previous = new byte[rowBytes];
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            for (int y = 0; y < image.Height; y++)
            {
                ReadOnlySpan<byte> row = image.Pixels.AsSpan(y * rowBytes, rowBytes);
                int best = 0;
                long bestCost = long.MaxValue;
                for (byte f = 0; f < PngFilter.Count; f++)
                {
                    var filtered = candidates[f];
                    filtered[0] = f;
                    PngFilter.Filter(f, row, previous, stride, filtered.AsSpan(1));
                    long cost = 0;
                    for (int i = 1; i < filtered.Length; i++) cost += Math.Abs((int)(sbyte)filtered[i]);   // (int): |−128| overflows sbyte
                    if (cost < bestCost) { bestCost = cost; best = f; }
                }
                zlib.Write(candidates[best]);
                previous = row;
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        uint crc = Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, head[4..]), data));   // over type and data
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        output.Write(head);
        output.Write(data);
        output.Write(tail);
    }
}
