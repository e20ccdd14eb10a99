using System.IO.Compression;
using Nabla.IO;
using Xunit;

namespace Nabla.Tests.IO;

public sealed class IdxTests : IDisposable
{
    const string Source = "train-images-idx3-ubyte";
    readonly string dir = Directory.CreateTempSubdirectory("nabla-idx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(bytes);
        return output.ToArray();
    }

    static string ReadError(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => Idx.Read(bytes, Source)).Message;

    // --- layout and round trips ---------------------------------------------------------------------------

    [Fact]
    public void WriteUBytes_ProducesSpecLayoutByteForByte()
    {
        string path = Path.Combine(dir, "x-idx2-ubyte");
        Idx.WriteUBytes(path, [2, 3], [1, 2, 3, 4, 5, 6]);

        byte[] expected = [0, 0, 0x08, 2, /* dims */ 0, 0, 0, 2, 0, 0, 0, 3, /* data */ 1, 2, 3, 4, 5, 6];
        Assert.Equal(expected, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));   // no temporary file left
    }

    [Fact]
    public void Read_UBytes_RoundTripsShapeAndData()
    {
        string path = Path.Combine(dir, "images");
        byte[] pixels = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        Idx.WriteUBytes(path, [2, 3, 4], pixels);

        IdxData data = Idx.Read(path);

        Assert.Equal(Idx.UByte, data.TypeCode);
        Assert.Equal([2, 3, 4], data.Shape);
        Assert.Equal(pixels, data.AsBytes());
        Assert.Equal(24, data.ElementCount);
        Assert.Equal(1, data.ElementSize);
    }

    [Fact]
    public void Read_Int32_ConvertsFromBigEndian()
    {
        byte[] file = [0, 0, 0x0C, 1, 0, 0, 0, 2, 0x01, 0x02, 0x03, 0x04, 0xFF, 0xFF, 0xFF, 0xFE];
        IdxData data = Idx.Read(file, Source);
        Assert.Equal([0x01020304, -2], data.AsInt32s());
    }

    [Fact]
    public void Read_Int16_ConvertsFromBigEndian()
    {
        byte[] file = [0, 0, 0x0B, 1, 0, 0, 0, 2, 0x01, 0x02, 0x80, 0x00];
        Assert.Equal(new short[] { 0x0102, short.MinValue }, Idx.Read(file, Source).AsInt16s());
    }

    [Fact]
    public void Read_SBytes_AreSigned()
    {
        byte[] file = [0, 0, 0x09, 1, 0, 0, 0, 3, 0x7F, 0x80, 0xFF];
        Assert.Equal(new sbyte[] { 127, -128, -1 }, Idx.Read(file, Source).AsSBytes());
    }

    [Fact]
    public void Read_Float32_ConvertsFromBigEndian()
    {
        // 1.0f = 3F 80 00 00, -2.5f = C0 20 00 00
        byte[] file = [0, 0, 0x0D, 1, 0, 0, 0, 2, 0x3F, 0x80, 0, 0, 0xC0, 0x20, 0, 0];
        Assert.Equal([1.0f, -2.5f], Idx.Read(file, Source).AsSingles());
    }

    [Fact]
    public void Read_Float64_ConvertsFromBigEndian()
    {
        // 1.0 = 3F F0 00 00 00 00 00 00
        byte[] file = [0, 0, 0x0E, 1, 0, 0, 0, 1, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0];
        Assert.Equal([1.0], Idx.Read(file, Source).AsDoubles());
    }

    [Fact]
    public void Write_Int32_StoresBigEndian_AndRoundTrips()
    {
        string path = Path.Combine(dir, "ints");
        Idx.Write(path, Idx.Int32, [2], [0x01, 0x02, 0x03, 0x04, 0xFF, 0xFF, 0xFF, 0xFE]);
        Assert.Equal([0x01020304, -2], Idx.Read(path).AsInt32s());
    }

    [Fact]
    public void Read_GzipFile_IsDecompressedTransparently()
    {
        byte[] plain = [0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9];
        string path = Path.Combine(dir, "labels.gz");
        File.WriteAllBytes(path, Gzip(plain));

        Assert.Equal([7, 8, 9], Idx.Read(path).AsBytes());
        Assert.Equal([7, 8, 9], Idx.Read(File.ReadAllBytes(path), "labels.gz").AsBytes());
    }

    [Fact]
    public void Write_GzPath_CompressesAndReadsBack()
    {
        string path = Path.Combine(dir, "t10k-labels-idx1-ubyte.gz");
        byte[] labels = Enumerable.Range(0, 1000).Select(i => (byte)(i % 10)).ToArray();
        Idx.WriteUBytes(path, [1000], labels);

        byte[] file = File.ReadAllBytes(path);
        Assert.Equal([0x1F, 0x8B], file[..2]);
        Assert.True(file.Length < 1000);
        IdxData data = Idx.Read(path);
        Assert.Equal([1000], data.Shape);
        Assert.Equal(labels, data.AsBytes());
    }

    [Fact]
    public void Read_EmptyDimension_GivesNoData()
    {
        IdxData data = Idx.Read([0, 0, 0x08, 2, 0, 0, 0, 0, 0, 0, 0, 28], Source);
        Assert.Equal([0, 28], data.Shape);
        Assert.Empty(data.AsBytes());
    }

    [Fact]
    public void AsInt32s_OnUByteData_ThrowsNamingBothTypes()
    {
        IdxData data = Idx.Read([0, 0, 0x08, 1, 0, 0, 0, 1, 5], Source);
        var e = Assert.Throws<InvalidOperationException>(() => data.AsInt32s());
        Assert.Equal("idx: AsInt32s needs type 0x0C (int) but this data is 0x08 (ubyte)", e.Message);
    }

    [Fact]
    public void Write_DataLengthMismatch_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Idx.Write(Path.Combine(dir, "x"), Idx.Int16, [3], new byte[5]));
        Assert.StartsWith("idx: shape [3] of short needs 6 bytes but 5 were given", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void Write_UnknownTypeOrBadShape_Throws()
    {
        string path = Path.Combine(dir, "x");
        Assert.StartsWith("idx: unknown type code 0x07",
            Assert.Throws<ArgumentException>(() => Idx.Write(path, 0x07, [1], [0])).Message, StringComparison.Ordinal);
        Assert.StartsWith("idx: shape [] has 0 dimensions; IDX holds 1 to 8",
            Assert.Throws<ArgumentException>(() => Idx.WriteUBytes(path, [], [0])).Message, StringComparison.Ordinal);
        Assert.StartsWith("idx: shape [-1] has a negative dimension",
            Assert.Throws<ArgumentException>(() => Idx.WriteUBytes(path, [-1], [])).Message, StringComparison.Ordinal);
    }

    // --- malformed input: one test per rule --------------------------------------------------------------

    [Fact]
    public void Read_ShorterThanMagic_Throws()
    {
        Assert.Equal("idx: train-images-idx3-ubyte is 3 bytes, shorter than the 4-byte magic number", ReadError([0, 0, 8]));
    }

    [Fact]
    public void Read_MagicNotStartingWithTwoZeros_Throws()
    {
        Assert.Equal("idx: train-images-idx3-ubyte does not start with an IDX magic number 00 00 <type> <ndims>; it starts 3C 68 74 6D",
            ReadError("<html>"u8.ToArray()));
    }

    [Fact]
    public void Read_UnknownTypeCode_Throws()
    {
        Assert.StartsWith("idx: train-images-idx3-ubyte has unknown type code 0x0A; IDX types are 0x08 (ubyte)",
            ReadError([0, 0, 0x0A, 1, 0, 0, 0, 0]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Read_DimensionCountOutOfRange_Throws(byte ndims)
    {
        Assert.Equal($"idx: train-images-idx3-ubyte declares {ndims} dimensions; IDX files here have 1 to 8",
            ReadError([0, 0, 0x08, ndims, 0, 0, 0, 0]));
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        Assert.Equal("idx: train-images-idx3-ubyte declares 3 dimensions but ends after 10 bytes, inside its 16-byte header",
            ReadError([0, 0, 0x08, 3, 0, 0, 0xEA, 0x60, 0, 0]));
    }

    [Fact]
    public void Read_NegativeDimension_Throws()
    {
        Assert.Equal("idx: train-images-idx3-ubyte declares dimension 1 as -1; dimensions must be non-negative",
            ReadError([0, 0, 0x08, 2, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF]));
    }

    [Fact]
    public void Read_DataShorterThanDeclared_Throws()
    {
        byte[] file = new byte[16 + 1000];
        file[2] = 0x08;
        file[3] = 3;
        file[6] = 0xEA; file[7] = 0x60;   // 60000
        file[11] = 28;
        file[15] = 28;
        Assert.Equal("idx: train-images-idx3-ubyte declares 60000×28×28 = 47040000 bytes of data but holds 1000", ReadError(file));
    }

    [Fact]
    public void Read_DataLongerThanDeclared_Throws()
    {
        Assert.Equal("idx: train-images-idx3-ubyte declares 2 = 2 bytes of data but holds 3",
            ReadError([0, 0, 0x08, 1, 0, 0, 0, 2, 1, 2, 3]));
    }

    [Fact]
    public void Read_WideTypeSizeMismatch_NamesElementSize()
    {
        Assert.Equal("idx: train-images-idx3-ubyte declares 2×3 × 4-byte float = 24 bytes of data but holds 20",
            ReadError([0, 0, 0x0D, 2, 0, 0, 0, 2, 0, 0, 0, 3, .. new byte[20]]));
    }

    [Fact]
    public void Read_DeclaredSizeBeyondArrayLimit_Throws()
    {
        string message = ReadError([0, 0, 0x0E, 2, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF]);
        Assert.StartsWith("idx: train-images-idx3-ubyte declares 2147483647×2147483647 × 8-byte double = ", message, StringComparison.Ordinal);
        Assert.EndsWith("bytes, more than the 2147483591 bytes one .NET array holds", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GzipDataShorterThanDeclared_Throws()
    {
        string path = Path.Combine(dir, "short.gz");
        File.WriteAllBytes(path, Gzip([0, 0, 0x08, 1, 0, 0, 0, 5, 1, 2]));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.Equal($"idx: {path} declares 5 = 5 bytes of data but holds 2 after decompression", e.Message);
    }

    [Fact]
    public void Read_GzipDataLongerThanDeclared_Throws()
    {
        Assert.Equal("idx: train-images-idx3-ubyte declares 1 = 1 bytes of data but holds 4 after decompression",
            ReadError(Gzip([0, 0, 0x08, 1, 0, 0, 0, 1, 1, 2, 3, 4])));
    }

    [Fact]
    public void Read_CorruptGzip_Throws()
    {
        byte[] gz = Gzip(Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray());
        for (int i = 10; i < gz.Length - 8; i++) gz[i] ^= 0x5A;   // keep the 1F 8B header, scramble the deflate stream
        string message = ReadError(gz);
        Assert.StartsWith("idx: train-images-idx3-ubyte starts like gzip (1F 8B) but does not decompress: ", message, StringComparison.Ordinal);
    }
}
