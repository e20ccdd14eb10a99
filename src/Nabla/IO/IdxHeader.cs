using System.Buffers.Binary;
using System.Globalization;

namespace Nabla.IO;

/// <summary>A validated IDX header: 00 00, type code, ndims, then ndims big-endian int32 dimensions.</summary>
/// <param name="TypeCode">The element type, one of Idx's type codes.</param>
/// <param name="Shape">The dimensions, outermost first.</param>
/// <param name="Length">Header bytes: 4 + 4 × ndims.</param>
/// <param name="DataLength">Bytes of data the header declares: ∏ dims × element size.</param>
internal readonly record struct IdxHeader(byte TypeCode, int[] Shape, int Length, long DataLength)
{
    public const int MaxDimensions = 8;
    public const int MaxLength = 4 + 4 * MaxDimensions;

    /// <summary>Parses the header from the start of <paramref name="bytes"/>, which holds at least the header or, if shorter, the whole file.</summary>
    public static IdxHeader Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 4)
            throw Error(source, $"is {bytes.Length} bytes, shorter than the 4-byte magic number");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw Error(source, $"does not start with an IDX magic number 00 00 <type> <ndims>; it starts {Hex(bytes[..4])}");
        byte typeCode = bytes[2];
        if (!Idx.IsKnownType(typeCode))
            throw Error(source, $"has unknown type code 0x{typeCode:X2}; IDX types are 0x08 (ubyte), 0x09 (sbyte), 0x0B (short), 0x0C (int), 0x0D (float), 0x0E (double)");
        int rank = bytes[3];
        if (rank is 0 or > MaxDimensions)
            throw Error(source, $"declares {rank} dimensions; IDX files here have 1 to {MaxDimensions}");
        int length = 4 + 4 * rank;
        if (bytes.Length < length)
            throw Error(source, $"declares {rank} dimensions but ends after {bytes.Length} bytes, inside its {length}-byte header");

        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            int dim = BinaryPrimitives.ReadInt32BigEndian(bytes.Slice(4 + 4 * i, 4));
            if (dim < 0)
                throw Error(source, $"declares dimension {i} as {dim}; dimensions must be non-negative");
            shape[i] = dim;
            count = (long)Int128.Min((Int128)count * dim, long.MaxValue);   // at most 2^31 per factor: Int128 cannot overflow
        }
        long dataLength = (long)Int128.Min((Int128)count * Idx.ElementSize(typeCode), long.MaxValue);
        var header = new IdxHeader(typeCode, shape, length, dataLength);
        if (dataLength > Array.MaxLength)
            throw Error(source, $"declares {header.DescribeData()}, more than the {Array.MaxLength} bytes one .NET array holds");
        return header;
    }

    /// <summary>"60000×28×28 = 47040000 bytes" for ubyte; "10×3 × 4-byte int = 120 bytes" for wider types.</summary>
    public string DescribeData()
    {
        string dims = string.Join("×", Shape);
        int size = Idx.ElementSize(TypeCode);
        string bytes = DataLength == long.MaxValue ? "more than 2^63 bytes" : $"{DataLength} bytes";
        return size == 1 ? $"{dims} = {bytes}" : $"{dims} × {size}-byte {Idx.TypeName(TypeCode)} = {bytes}";
    }

    public InvalidDataException SizeMismatch(string source, string holds) =>
        Error(source, $"declares {DescribeData()} of data but holds {holds}");

    public static InvalidDataException Error(string source, string problem) => new($"idx: {source} {problem}");

    static string Hex(ReadOnlySpan<byte> bytes) =>
        string.Join(" ", bytes.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
}
