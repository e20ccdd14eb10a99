using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Nabla.IO;

/// <summary>The contents of an IDX file (the MNIST format): element type code, shape, and the data as stored, big-endian.</summary>
/// <param name="TypeCode">One of <see cref="Idx.UByte"/>, <see cref="Idx.SByte"/>, <see cref="Idx.Int16"/>, <see cref="Idx.Int32"/>, <see cref="Idx.Float32"/>, <see cref="Idx.Float64"/>.</param>
/// <param name="Shape">The dimensions, outermost first, e.g. [60000, 28, 28] for MNIST's training images.</param>
/// <param name="RawBigEndian">numel × element size bytes, row-major, each element big-endian as IDX stores it.</param>
public sealed record IdxData(byte TypeCode, int[] Shape, byte[] RawBigEndian)
{
    /// <summary>Bytes per element of <see cref="TypeCode"/>.</summary>
    public int ElementSize => Idx.ElementSize(TypeCode);

    /// <summary>numel = ∏ Shape[i].</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (int dim in Shape) count *= dim;
            return count;
        }
    }

    /// <summary>The unsigned bytes of a ubyte (0x08) file: <see cref="RawBigEndian"/> itself, not a copy.</summary>
    /// <exception cref="InvalidOperationException">The data is of another type.</exception>
    public byte[] AsBytes()
    {
        Require(Idx.UByte, nameof(AsBytes));
        return RawBigEndian;
    }

    /// <summary>The signed bytes of an sbyte (0x09) file, copied.</summary>
    /// <exception cref="InvalidOperationException">The data is of another type.</exception>
    public sbyte[] AsSBytes()
    {
        Require(Idx.SByte, nameof(AsSBytes));
        return MemoryMarshal.Cast<byte, sbyte>(RawBigEndian).ToArray();
    }

    /// <summary>The values of a short (0x0B) file, converted to the machine's byte order.</summary>
    /// <exception cref="InvalidOperationException">The data is of another type.</exception>
    public short[] AsInt16s()
    {
        Require(Idx.Int16, nameof(AsInt16s));
        var values = new short[RawBigEndian.Length / sizeof(short)];
        FromBigEndian(MemoryMarshal.Cast<byte, short>(RawBigEndian), values);
        return values;
    }

    /// <summary>The values of an int (0x0C) file, converted to the machine's byte order.</summary>
    /// <exception cref="InvalidOperationException">The data is of another type.</exception>
    public int[] AsInt32s()
    {
        Require(Idx.Int32, nameof(AsInt32s));
        var values = new int[RawBigEndian.Length / sizeof(int)];
        FromBigEndian(MemoryMarshal.Cast<byte, int>(RawBigEndian), values);
        return values;
    }

    /// <summary>The values of a float (0x0D) file, converted to the machine's byte order.</summary>
    /// <exception cref="InvalidOperationException">The data is of another type.</exception>
    public float[] AsSingles()
    {
        Require(Idx.Float32, nameof(AsSingles));
        var values = new float[RawBigEndian.Length / sizeof(float)];
        FromBigEndian(MemoryMarshal.Cast<byte, int>(RawBigEndian), MemoryMarshal.Cast<float, int>(values.AsSpan()));
        return values;
    }

    /// <summary>The values of a double (0x0E) file, converted to the machine's byte order.</summary>
    /// <exception cref="InvalidOperationException">The data is of another type.</exception>
    public double[] AsDoubles()
    {
        Require(Idx.Float64, nameof(AsDoubles));
        var values = new double[RawBigEndian.Length / sizeof(double)];
        FromBigEndian(MemoryMarshal.Cast<byte, long>(RawBigEndian), MemoryMarshal.Cast<double, long>(values.AsSpan()));
        return values;
    }

    void Require(byte typeCode, string method)
    {
        if (TypeCode != typeCode)
            throw new InvalidOperationException(
                $"idx: {method} needs type {Idx.Describe(typeCode)} but this data is {Idx.Describe(TypeCode)}");
    }

    static void FromBigEndian(ReadOnlySpan<short> source, Span<short> destination)
    {
        if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(source, destination);
        else source.CopyTo(destination);
    }

    static void FromBigEndian(ReadOnlySpan<int> source, Span<int> destination)
    {
        if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(source, destination);
        else source.CopyTo(destination);
    }

    static void FromBigEndian(ReadOnlySpan<long> source, Span<long> destination)
    {
        if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(source, destination);
        else source.CopyTo(destination);
    }
}
