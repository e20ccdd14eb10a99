using System.Buffers.Binary;
using System.Text;
using Nabla.IO;
using Xunit;

namespace Nabla.Tests.IO;

public sealed class SafeTensorsTests : IDisposable
{
    const string Source = "model.safetensors";
    readonly string dir = Directory.CreateTempSubdirectory("nabla-safetensors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A file built by hand per the spec: u64 LE header length, the header bytes, the data buffer.</summary>
    static byte[] Build(string header, byte[] buffer)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + buffer.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        buffer.CopyTo(file, 8 + json.Length);
        return file;
    }

    static byte[] Build(string header, int bufferLength) => Build(header, new byte[bufferLength]);

    static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    static byte[] WriteToBytes(IReadOnlyList<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    static string ReadError(byte[] file) =>
        Assert.Throws<InvalidDataException>(() => SafeTensors.Read(file, Source)).Message;

    // --- exact layout -------------------------------------------------------------------------------------

    [Fact]
    public void Write_SingleF32Tensor_MatchesSpecLayoutByteForByte()
    {
        byte[] data = Floats(0, 1, 2, 3, 4, 5);
        byte[] actual = WriteToBytes([new("attn.0", SafeTensorDType.F32, [1, 2, 3], data)]);

        // 64 bytes of JSON: already a multiple of 8, so no padding (the reference crate's test_serialization).
        const string header = """{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}""";
        Assert.Equal(64, header.Length);
        byte[] expected = Build(header, data);
        Assert.Equal(expected, actual);
        Assert.Equal(new byte[] { 64, 0, 0, 0, 0, 0, 0, 0, (byte)'{' }, actual[..9]);
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F }, actual[(8 + 64 + 4)..(8 + 64 + 8)]);   // 1.0f little-endian
    }

    [Fact]
    public void Write_PadsHeaderWithSpacesToMultipleOfEight()
    {
        byte[] data = Floats(0, 1, 2, 3, 4, 5);
        byte[] actual = WriteToBytes([new("attn0", SafeTensorDType.F32, [1, 1, 2, 3], data)]);

        const string json = """{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}""";
        Assert.Equal(65, json.Length);
        Assert.Equal(Build(json + new string(' ', 7), data), actual);   // header length 72
        Assert.Equal(72UL, BinaryPrimitives.ReadUInt64LittleEndian(actual));
    }

    [Fact]
    public void Write_NoTensors_IsEmptyObjectPaddedToEight()
    {
        Assert.Equal(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 }, WriteToBytes([]));
    }

    [Fact]
    public void Write_Metadata_ComesFirstInHeader()
    {
        byte[] actual = WriteToBytes([], new Dictionary<string, string> { ["framework"] = "pt" });
        const string json = """{"__metadata__":{"framework":"pt"}}""";
        Assert.Equal(Build(json + new string(' ', 40 - json.Length), []), actual);

        var file = SafeTensors.Read(actual, Source);
        Assert.Empty(file.Entries);
        Assert.Equal("pt", file.Metadata["framework"]);
    }

    [Fact]
    public void Write_OrdersByDescendingAlignmentThenName_SoEveryTensorIsAligned()
    {
        SafeTensorEntry[] tensors =
        [
            new("mask", SafeTensorDType.U8, [3], [1, 2, 3]),
            new("b", SafeTensorDType.F32, [1], Floats(2)),
            new("a", SafeTensorDType.F32, [1], Floats(1)),
            new("half", SafeTensorDType.F16, [1], [0, 0x3C]),
            new("step", SafeTensorDType.I64, [], new byte[8]),
        ];
        byte[] bytes = WriteToBytes(tensors);

        string header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(
            """{"step":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},"half":{"dtype":"F16","shape":[1],"data_offsets":[16,18]},"mask":{"dtype":"U8","shape":[3],"data_offsets":[18,21]}}""",
            header.TrimEnd(' '));
        Assert.Equal(0, header.Length % 8);
        Assert.Equal(["step", "a", "b", "half", "mask"], SafeTensors.Read(bytes, Source).Entries.Select(e => e.Name));
    }

    [Fact]
    public void Write_EscapesNamesAsJsonAndKeepsNonAsciiRaw()
    {
        const string name = "a\"b\\c\n\u0001é";
        byte[] bytes = WriteToBytes([new(name, SafeTensorDType.U8, [1], [7])]);

        string header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.StartsWith("{\"a\\\"b\\\\c\\n\\u0001é\":", header, StringComparison.Ordinal);
        Assert.Equal([7], SafeTensors.Read(bytes, Source)[name].Data);
    }

    // --- round trips --------------------------------------------------------------------------------------

    [Fact]
    public void RoundTrip_EveryDType_PreservesNamesShapesBytesAndMetadata()
    {
        var random = new Random(7);
        var tensors = new List<SafeTensorEntry>();
        foreach (SafeTensorDType dtype in Enum.GetValues<SafeTensorDType>())
        {
            int[] shape = [2, 3];
            var data = new byte[6 * dtype.ElementSize()];
            random.NextBytes(data);
            tensors.Add(new($"w.{dtype}", dtype, shape, data));
        }
        tensors.Add(new("scalar", SafeTensorDType.F64, [], BitConverter.GetBytes(Math.PI)));
        tensors.Add(new("empty", SafeTensorDType.F32, [0, 3], []));
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["nabla"] = "0.1" };
        string path = Path.Combine(dir, "all.safetensors");

        SafeTensors.Write(path, tensors, metadata);
        SafeTensorFile file = SafeTensors.Read(path);

        Assert.Equal(tensors.Count, file.Entries.Count);
        foreach (SafeTensorEntry expected in tensors)
        {
            SafeTensorEntry actual = file[expected.Name];
            Assert.Equal(expected.DType, actual.DType);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.Data, actual.Data);
        }
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(Math.PI, BitConverter.ToDouble(file["scalar"].Data));
        Assert.Equal(0, file["empty"].ElementCount);
        Assert.Equal(path, file.SourceName);
    }

    [Fact]
    public void Read_FromSpan_EqualsReadFromPath()
    {
        string path = Path.Combine(dir, "m.safetensors");
        SafeTensors.Write(path, [new("w", SafeTensorDType.F32, [2], Floats(1.5f, -2))]);

        SafeTensorFile fromPath = SafeTensors.Read(path);
        SafeTensorFile fromSpan = SafeTensors.Read(File.ReadAllBytes(path), "m");

        Assert.Equal(fromPath["w"].Data, fromSpan["w"].Data);
        Assert.Equal(Floats(1.5f, -2), fromSpan["w"].Data);
    }

    [Fact]
    public void Write_ToPath_ReplacesExistingFileAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(dir, "ckpt.safetensors");
        File.WriteAllText(path, "old contents");

        SafeTensors.Write(path, [new("x", SafeTensorDType.I32, [1], [1, 0, 0, 0])]);

        Assert.Equal([1, 0, 0, 0], SafeTensors.Read(path)["x"].Data);
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Write_InvalidTensors_ThrowsBeforeTouchingTheFile()
    {
        string path = Path.Combine(dir, "keep.safetensors");
        File.WriteAllText(path, "old contents");

        var e = Assert.Throws<ArgumentException>(() =>
            SafeTensors.Write(path, [new("x", SafeTensorDType.F32, [2], new byte[7])]));

        Assert.Contains("tensor 'x': F32 [2] needs 2 × 4 = 8 bytes but Data holds 7", e.Message, StringComparison.Ordinal);
        Assert.Equal("old contents", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Write_DuplicateName_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => WriteToBytes(
            [new("x", SafeTensorDType.U8, [1], [1]), new("x", SafeTensorDType.U8, [1], [2])]));
        Assert.StartsWith("safetensors: tensor name 'x' appears more than once", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_MetadataKeyAsTensorName_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => WriteToBytes([new("__metadata__", SafeTensorDType.U8, [1], [1])]));
        Assert.Contains("cannot be named '__metadata__'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NegativeDimension_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => WriteToBytes([new("x", SafeTensorDType.U8, [-1], [])]));
        Assert.Contains("tensor 'x' has a negative dimension in shape [-1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_MissingName_ThrowsKeyNotFoundListingEntries()
    {
        SafeTensorFile file = SafeTensors.Read(WriteToBytes([new("fc.weight", SafeTensorDType.U8, [1], [1])]), Source);

        Assert.True(file.TryGet("fc.weight", out SafeTensorEntry? found));
        Assert.Equal("fc.weight", found.Name);
        Assert.False(file.TryGet("fc.bias", out _));
        var e = Assert.Throws<KeyNotFoundException>(() => file["fc.bias"]);
        Assert.Equal("safetensors: no entry 'fc.bias' in model.safetensors; it holds 1: 'fc.weight'", e.Message);
    }

    [Fact]
    public void Read_ZeroSizedTensorsSharingAnOffset_AreValid()
    {
        byte[] file = Build("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"c":{"dtype":"I64","shape":[3,0],"data_offsets":[2,2]}}""", [5, 6]);
        SafeTensorFile read = SafeTensors.Read(file, Source);
        Assert.Equal([5, 6], read["b"].Data);
        Assert.Empty(read["a"].Data);
        Assert.Equal([3, 0], read["c"].Shape);
    }

    // --- malformed input: one test per rule --------------------------------------------------------------

    [Fact]
    public void Read_ShorterThanEightBytes_Throws()
    {
        Assert.Equal("safetensors: file is 5 bytes, shorter than the 8-byte header length (model.safetensors)", ReadError(new byte[5]));
    }

    [Fact]
    public void Read_ShorterThanEightBytesOnDisk_NamesThePath()
    {
        string path = Path.Combine(dir, "tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.Equal($"safetensors: file is 3 bytes, shorter than the 8-byte header length ({path})", e.Message);
    }

    [Fact]
    public void Read_HeaderLengthBeyondFile_Throws()
    {
        var file = new byte[1024];
        BinaryPrimitives.WriteUInt64LittleEndian(file, uint.MaxValue);
        Assert.Equal("safetensors: header length 4294967295 exceeds file size 1024 (model.safetensors)", ReadError(file));
    }

    [Fact]
    public void Read_HeaderLengthNearULongMax_Throws()
    {
        var file = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        Assert.Equal("safetensors: header length 18446744073709551615 exceeds file size 16 (model.safetensors)", ReadError(file));
    }

    [Fact]
    public void Read_HeaderLongerThanHundredMegabytes_ThrowsWithoutReadingIt()
    {
        string path = Path.Combine(dir, "huge.safetensors");
        using (var stream = File.Create(path))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, 100_000_001);
            stream.Write(prefix);
            stream.SetLength(100_000_100);   // sparse: no 100 MB are written
        }
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.Equal($"safetensors: header length 100000001 exceeds the 100000000-byte limit ({path})", e.Message);
    }

    [Fact]
    public void Read_HeaderNotUtf8_Throws()
    {
        byte[] file = Build("{\"a\":1}", 0);
        file[10] = 0xFF;
        Assert.Equal("safetensors: header is not valid UTF-8 (model.safetensors)", ReadError(file));
    }

    [Fact]
    public void Read_HeaderNotAnObject_Throws()
    {
        Assert.Equal("safetensors: header must be a JSON object starting with '{' but starts with '[' (model.safetensors)",
            ReadError(Build("[1, 2]", 0)));
        Assert.Equal("safetensors: header must be a JSON object starting with '{' but starts with nothing (the header is empty) (model.safetensors)",
            ReadError(Build("", 0)));
    }

    [Fact]
    public void Read_HeaderNotJson_Throws()
    {
        string message = ReadError(Build("""{"a": {"dtype": "F32",""", 0));
        Assert.StartsWith("safetensors: header is not valid JSON: ", message, StringComparison.Ordinal);
        Assert.EndsWith("(model.safetensors)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EntryNotAnObject_Throws()
    {
        Assert.Equal("safetensors: entry 'w': must be an object with dtype, shape and data_offsets but is a number (model.safetensors)",
            ReadError(Build("""{"w": 5}""", 0)));
    }

    [Theory]
    [InlineData("""{"w":{"shape":[1],"data_offsets":[0,4]}}""", "missing \"dtype\"")]
    [InlineData("""{"w":{"dtype":"F32","data_offsets":[0,4]}}""", "missing \"shape\"")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1]}}""", "missing \"data_offsets\"")]
    public void Read_EntryMissingField_Throws(string header, string problem)
    {
        Assert.Equal($"safetensors: entry 'w': {problem} (model.safetensors)", ReadError(Build(header, 4)));
    }

    [Theory]
    [InlineData("""{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}""", "\"dtype\" must be a string but is a number")]
    [InlineData("""{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}""", "\"shape\" must be an array but is a string")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":{"begin":0}}}""", "\"data_offsets\" must be an array but is an object")]
    [InlineData("""{"w":{"dtype":"F32","shape":null,"data_offsets":[0,4]}}""", "\"shape\" must be an array but is null")]
    public void Read_EntryFieldOfWrongKind_Throws(string header, string problem)
    {
        Assert.Equal($"safetensors: entry 'w': {problem} (model.safetensors)", ReadError(Build(header, 4)));
    }

    [Theory]
    [InlineData("F4")]
    [InlineData("f32")]
    [InlineData("float32")]
    public void Read_UnknownDType_Throws(string dtype)
    {
        string message = ReadError(Build($$$"""{"w":{"dtype":"{{{dtype}}}","shape":[1],"data_offsets":[0,4]}}""", 4));
        Assert.StartsWith($"safetensors: entry 'w': unknown dtype \"{dtype}\"; supported: BOOL, U8, I8,", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[2,-3]", "shape [2,-3] has negative dimension -3")]
    [InlineData("[2,1.5]", "shape [2,1.5] has dimension 1.5, which is not an integer")]
    [InlineData("[2,1e2]", "shape [2,1e2] has dimension 1e2, which is not an integer")]
    [InlineData("[\"2\"]", "shape [\"2\"] has dimension \"2\", which is not an integer")]
    [InlineData("[3000000000]", "shape [3000000000] has dimension 3000000000, above the limit 2147483647")]
    [InlineData("[99999999999999999999]", "shape [99999999999999999999] has dimension 99999999999999999999, which is not an integer")]
    public void Read_BadShapeDimension_Throws(string shape, string problem)
    {
        string message = ReadError(Build($$$"""{"w":{"dtype":"F32","shape":{{{shape}}},"data_offsets":[0,4]}}""", 4));
        Assert.Equal($"safetensors: entry 'w': {problem} (model.safetensors)", message);
    }

    [Fact]
    public void Read_ElementCountOverflow_Throws()
    {
        string message = ReadError(Build("""{"w":{"dtype":"F64","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}""", 8));
        Assert.Equal("safetensors: entry 'w': element count of shape [2147483647,2147483647,2147483647] overflows a 64-bit integer (model.safetensors)", message);
    }

    [Fact]
    public void Read_ByteSizeOverflow_Throws()
    {
        string message = ReadError(Build("""{"w":{"dtype":"F64","shape":[2147483647,2147483647,2],"data_offsets":[0,8]}}""", 8));
        Assert.Equal("safetensors: entry 'w': byte size of F64 [2147483647,2147483647,2] overflows a 64-bit integer (model.safetensors)", message);
    }

    [Theory]
    [InlineData("[0,4,8]", "data_offsets [0,4,8] must be two integers [begin, end]")]
    [InlineData("[0]", "data_offsets [0] must be two integers [begin, end]")]
    [InlineData("[-4,4]", "data_offsets [-4,4] must be two non-negative integers")]
    [InlineData("[0,4.0]", "data_offsets [0,4.0] must be two non-negative integers")]
    [InlineData("[4,0]", "data_offsets [4, 0] end before they begin")]
    [InlineData("[0,12]", "data_offsets [0, 12] end past the 8-byte data buffer")]
    public void Read_BadOffsets_Throws(string offsets, string problem)
    {
        string message = ReadError(Build($$$"""{"w":{"dtype":"F32","shape":[1],"data_offsets":{{{offsets}}}}}""", 8));
        Assert.Equal($"safetensors: entry 'w': {problem} (model.safetensors)", message);
    }

    [Fact]
    public void Read_OffsetsSpanDisagreesWithShape_Throws()
    {
        string message = ReadError(Build("""{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}""", 20));
        Assert.Equal("safetensors: entry 'w': F32 [2,3] needs 6 × 4 = 24 bytes but data_offsets [0, 20] span 20 (model.safetensors)", message);
    }

    [Fact]
    public void Read_OverlappingEntries_Throws()
    {
        string message = ReadError(Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8));
        Assert.Equal("safetensors: entry 'b': data_offsets [4, 8] overlap entry 'a', which ends at 8 (model.safetensors)", message);
    }

    [Fact]
    public void Read_GapBetweenEntries_Throws()
    {
        string message = ReadError(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12));
        Assert.Equal("safetensors: entry 'b': data_offsets [8, 12] leave bytes [4, 8) of the data buffer unused (model.safetensors)", message);
    }

    [Fact]
    public void Read_TrailingBytesAfterLastEntry_Throws()
    {
        string message = ReadError(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 6));
        Assert.Equal("safetensors: entries cover 4 bytes but the data buffer holds 6; bytes [4, 6) are unused (model.safetensors)", message);
    }

    [Fact]
    public void Read_DuplicateEntryName_Throws()
    {
        string message = ReadError(Build("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"\u0061":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", 2));
        Assert.Equal("safetensors: entry 'a': appears more than once in the header (model.safetensors)", message);
    }

    [Fact]
    public void Read_MetadataNotAnObject_Throws()
    {
        Assert.Equal("safetensors: \"__metadata__\" must be an object of strings but is an array (model.safetensors)",
            ReadError(Build("""{"__metadata__":["pt"]}""", 0)));
    }

    [Fact]
    public void Read_MetadataValueNotAString_Throws()
    {
        Assert.Equal("safetensors: \"__metadata__\" value of 'epoch' must be a string but is a number (model.safetensors)",
            ReadError(Build("""{"__metadata__":{"epoch":3}}""", 0)));
    }

    [Fact]
    public void Read_HeaderWithTrailingSpacesAndUnknownEntryKeys_IsAccepted()
    {
        byte[] file = Build("""{"w":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"note":"ignored"}}   """, [9, 8]);
        Assert.Equal([9, 8], SafeTensors.Read(file, Source)["w"].Data);
    }
}
