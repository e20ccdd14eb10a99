using System.Buffers.Binary;

namespace Nabla.IO;

/// <summary>Reads and writes the safetensors format, the tensor file of Hugging Face and PyTorch checkpoints.</summary>
/// <remarks>
/// Layout: an 8-byte little-endian u64 N; N bytes of UTF-8 JSON
/// <c>{"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, …}</c>;
/// then the data buffer, to which the offsets are relative. Files written here are byte-identical to those of
/// the reference writer (huggingface/safetensors) for the same tensors and metadata, and every file read here is
/// validated as that reader validates it before a byte of data is trusted. Errors are
/// <see cref="InvalidDataException"/>s whose messages start "safetensors:" and name the file and the entry.
/// </remarks>
public static class SafeTensors
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically.</summary>
    /// <remarks>
    /// The bytes go to a temporary file beside <paramref name="path"/>, are flushed to the disk, and the temporary
    /// file is then renamed over <paramref name="path"/>: a crash leaves the old file or the new one, never half of one.
    /// Tensors are stored by descending alignment, then by name, as the reference writer stores them.
    /// </remarks>
    /// <exception cref="ArgumentException">A name repeats or is "__metadata__", a dimension is negative, or Data's length is not numel × element size.</exception>
    public static void Write(string path, IReadOnlyList<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        (SafeTensorEntry[] ordered, byte[] header) = SafeTensorsHeaderWriter.Prepare(tensors, metadata);   // validate before touching the disk
        using var file = new AtomicFileWriter(path);
        WriteTo(file.Stream, ordered, header);
        file.Commit();
    }

    /// <summary>Writes <paramref name="tensors"/> in safetensors layout to <paramref name="stream"/>, from its current position.</summary>
    /// <remarks>Tensors are stored by descending alignment, then by name, as the reference writer stores them.</remarks>
    /// <exception cref="ArgumentException">A name repeats or is "__metadata__", a dimension is negative, or Data's length is not numel × element size.</exception>
    public static void Write(Stream stream, IReadOnlyList<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        (SafeTensorEntry[] ordered, byte[] header) = SafeTensorsHeaderWriter.Prepare(tensors, metadata);
        WriteTo(stream, ordered, header);
    }

    /// <summary>Reads and validates the safetensors file at <paramref name="path"/>.</summary>
    /// <remarks>The file is read sequentially, one array per tensor, so files above 2 GiB load as long as each tensor fits in an array.</remarks>
    /// <exception cref="InvalidDataException">The file breaks the format; the message names the file, the entry and the rule.</exception>
    public static SafeTensorFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        long fileLength = file.Length;
        if (fileLength < 8)
            throw SafeTensorsError.File(path, $"file is {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        SafeTensorsHeaderReader.CheckHeaderLength(headerLength, fileLength, path);

        byte[] header = new byte[headerLength];
        file.ReadExactly(header);
        long bufferLength = fileLength - 8 - (long)headerLength;
        var (layouts, metadata) = SafeTensorsHeaderReader.Parse(header, bufferLength, path);

        // The layouts tile the buffer in offset order, so the tensors follow one another in the file.
        var entries = new SafeTensorEntry[layouts.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            SafeTensorLayout layout = layouts[i];
            byte[] data = layout.ByteCount == 0 ? [] : new byte[layout.ByteCount];
            file.ReadExactly(data);
            entries[i] = new SafeTensorEntry(layout.Name, layout.DType, layout.Shape, data);
        }
        return new SafeTensorFile(path, entries, metadata);
    }

    /// <summary>Reads and validates a whole safetensors file held in memory.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="sourceName">What to call the file in error messages, e.g. its name.</param>
    /// <exception cref="InvalidDataException">The bytes break the format; the message names the source, the entry and the rule.</exception>
    public static SafeTensorFile Read(ReadOnlySpan<byte> bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (bytes.Length < 8)
            throw SafeTensorsError.File(sourceName, $"file is {bytes.Length} bytes, shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        SafeTensorsHeaderReader.CheckHeaderLength(headerLength, bytes.Length, sourceName);

        int dataStart = 8 + (int)headerLength;
        var (layouts, metadata) = SafeTensorsHeaderReader.Parse(bytes[8..dataStart].ToArray(), bytes.Length - dataStart, sourceName);
        ReadOnlySpan<byte> buffer = bytes[dataStart..];
        var entries = new SafeTensorEntry[layouts.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            SafeTensorLayout layout = layouts[i];
            byte[] data = buffer.Slice((int)layout.Begin, layout.ByteCount).ToArray();
            entries[i] = new SafeTensorEntry(layout.Name, layout.DType, layout.Shape, data);
        }
        return new SafeTensorFile(sourceName, entries, metadata);
    }

    static void WriteTo(Stream stream, SafeTensorEntry[] ordered, byte[] header)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (SafeTensorEntry entry in ordered) stream.Write(entry.Data);
    }
}
