using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Nabla.IO;

/// <summary>Reads and writes IDX files, the format of MNIST and its relatives, plain or gzip-compressed.</summary>
/// <remarks>
/// Layout: magic 00 00 &lt;type&gt; &lt;ndims&gt;; ndims big-endian int32 dimensions; then ∏ dims elements, row-major,
/// each big-endian. Types: 0x08 ubyte, 0x09 sbyte, 0x0B short, 0x0C int, 0x0D float, 0x0E double.
/// A file starting 1F 8B is gunzipped while it is read, so MNIST's .gz downloads load as they come.
/// Errors are <see cref="InvalidDataException"/>s whose messages start "idx:" and name the file.
/// </remarks>
public static class Idx
{
    /// <summary>Type code 0x08: unsigned byte.</summary>
    public const byte UByte = 0x08;
    /// <summary>Type code 0x09: signed byte.</summary>
    public const byte SByte = 0x09;
    /// <summary>Type code 0x0B: big-endian 16-bit integer.</summary>
    public const byte Int16 = 0x0B;
    /// <summary>Type code 0x0C: big-endian 32-bit integer.</summary>
    public const byte Int32 = 0x0C;
    /// <summary>Type code 0x0D: big-endian IEEE 754 single.</summary>
    public const byte Float32 = 0x0D;
    /// <summary>Type code 0x0E: big-endian IEEE 754 double.</summary>
    public const byte Float64 = 0x0E;

    /// <summary>Bytes per element of an IDX type code: 1, 1, 2, 4, 4, 8.</summary>
    /// <exception cref="ArgumentException">The code is not an IDX type.</exception>
    public static int ElementSize(byte typeCode) => typeCode switch
    {
        UByte or SByte => 1,
        Int16 => 2,
        Int32 or Float32 => 4,
        Float64 => 8,
        _ => throw new ArgumentException($"idx: unknown type code 0x{typeCode:X2}; IDX types are 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E", nameof(typeCode)),
    };

    /// <summary>Reads the IDX file at <paramref name="path"/>, gunzipping it if it starts with 1F 8B.</summary>
    /// <exception cref="InvalidDataException">The file breaks the format; the message names it and the rule.</exception>
    public static IdxData Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        if (IsGzip(file))
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            return ReadGzip(gzip, path);
        }
        IdxHeader header = ReadHeader(file, path);
        long holds = file.Length - header.Length;
        if (holds != header.DataLength) throw header.SizeMismatch(path, holds.ToString(CultureInfo.InvariantCulture));
        byte[] data = new byte[header.DataLength];
        file.ReadExactly(data);
        return new IdxData(header.TypeCode, header.Shape, data);
    }

    /// <summary>Reads an IDX file held in memory, gunzipping it if it starts with 1F 8B.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="sourceName">What to call the file in error messages, e.g. its name.</param>
    /// <exception cref="InvalidDataException">The bytes break the format; the message names the source and the rule.</exception>
    public static IdxData Read(ReadOnlySpan<byte> bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
        {
            using var gzip = new GZipStream(new MemoryStream(bytes.ToArray(), writable: false), CompressionMode.Decompress);
            return ReadGzip(gzip, sourceName);
        }
        IdxHeader header = IdxHeader.Parse(bytes, sourceName);
        long holds = bytes.Length - header.Length;
        if (holds != header.DataLength) throw header.SizeMismatch(sourceName, holds.ToString(CultureInfo.InvariantCulture));
        return new IdxData(header.TypeCode, header.Shape, bytes[header.Length..].ToArray());
    }

    /// <summary>Writes an IDX file atomically (temporary file, flush to disk, rename); gzip-compressed when <paramref name="path"/> ends in ".gz".</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="typeCode">One of <see cref="UByte"/>, <see cref="SByte"/>, <see cref="Int16"/>, <see cref="Int32"/>, <see cref="Float32"/>, <see cref="Float64"/>.</param>
    /// <param name="shape">1 to 8 non-negative dimensions.</param>
    /// <param name="rawBigEndian">∏ shape × element size bytes, each element big-endian.</param>
    /// <exception cref="ArgumentException">The type, shape or data length is invalid.</exception>
    public static void Write(string path, byte typeCode, int[] shape, ReadOnlySpan<byte> rawBigEndian)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(shape);
        byte[] header = EncodeHeader(typeCode, shape, rawBigEndian.Length);
        using var file = new AtomicFileWriter(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(file.Stream, CompressionLevel.Optimal, leaveOpen: true);
            gzip.Write(header);
            gzip.Write(rawBigEndian);
        }
        else
        {
            file.Stream.Write(header);
            file.Stream.Write(rawBigEndian);
        }
        file.Commit();
    }

    /// <summary>Writes unsigned bytes (type 0x08) as an IDX file, as MNIST stores images and labels.</summary>
    /// <exception cref="ArgumentException">The shape is invalid or does not match the data length.</exception>
    public static void WriteUBytes(string path, int[] shape, ReadOnlySpan<byte> data) => Write(path, UByte, shape, data);

    internal static bool IsKnownType(byte typeCode) => typeCode is UByte or SByte or Int16 or Int32 or Float32 or Float64;

    internal static string TypeName(byte typeCode) => typeCode switch
    {
        UByte => "ubyte",
        SByte => "sbyte",
        Int16 => "short",
        Int32 => "int",
        Float32 => "float",
        Float64 => "double",
        _ => "unknown",
    };

    /// <summary>"0x0C (int)".</summary>
    internal static string Describe(byte typeCode) => $"0x{typeCode:X2} ({TypeName(typeCode)})";

    static byte[] EncodeHeader(byte typeCode, int[] shape, int dataLength)
    {
        if (!IsKnownType(typeCode)) _ = ElementSize(typeCode);   // throws the ArgumentException naming the code
        if (shape.Length is 0 or > IdxHeader.MaxDimensions)
            throw new ArgumentException($"idx: shape [{string.Join(", ", shape)}] has {shape.Length} dimensions; IDX holds 1 to {IdxHeader.MaxDimensions}", nameof(shape));
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"idx: shape [{string.Join(", ", shape)}] has a negative dimension", nameof(shape));
        Int128 expected = ElementSize(typeCode);
        foreach (int dim in shape) expected *= dim;
        if (expected != dataLength)
            throw new ArgumentException(
                $"idx: shape [{string.Join(", ", shape)}] of {TypeName(typeCode)} needs {expected} bytes but {dataLength} were given", "rawBigEndian");

        var header = new byte[4 + 4 * shape.Length];
        header[2] = typeCode;
        header[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), shape[i]);
        return header;
    }

    static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    static IdxHeader ReadHeader(Stream stream, string source)
    {
        Span<byte> bytes = stackalloc byte[IdxHeader.MaxLength];
        int read = stream.ReadAtLeast(bytes[..4], 4, throwOnEndOfStream: false);
        if (read == 4 && bytes[3] is > 0 and <= IdxHeader.MaxDimensions)
            read += stream.ReadAtLeast(bytes[4..(4 + 4 * bytes[3])], 4 * bytes[3], throwOnEndOfStream: false);
        return IdxHeader.Parse(bytes[..read], source);
    }

    /// <summary>Reads from a decompressing stream, whose length is unknown until it ends.</summary>
    static IdxData ReadGzip(GZipStream gzip, string source)
    {
        try
        {
            IdxHeader header = ReadHeader(gzip, source);
            // Grow the buffer as data arrives, so a corrupt header cannot make us allocate what the file does not hold.
            byte[] data = new byte[Math.Min(header.DataLength, 1 << 24)];
            int filled = 0;
            while (true)
            {
                filled += gzip.ReadAtLeast(data.AsSpan(filled), data.Length - filled, throwOnEndOfStream: false);
                if (filled < data.Length || data.Length == header.DataLength) break;
                Array.Resize(ref data, (int)Math.Min(header.DataLength, 2L * data.Length));
            }
            if (filled < header.DataLength)
                throw header.SizeMismatch(source, $"{filled} after decompression");
            long extra = CountRemaining(gzip);
            if (extra > 0)
                throw header.SizeMismatch(source, $"{header.DataLength + extra} after decompression");
            return new IdxData(header.TypeCode, header.Shape, data);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("idx:", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"idx: {source} starts like gzip (1F 8B) but does not decompress: {e.Message}", e);
        }
    }

    static long CountRemaining(Stream stream)
    {
        byte[] scratch = new byte[1 << 16];
        long count = 0;
        int read;
        while ((read = stream.Read(scratch)) > 0) count += read;
        return count;
    }
}
