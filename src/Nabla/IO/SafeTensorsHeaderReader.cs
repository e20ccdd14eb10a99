using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Nabla.IO;

/// <summary>Parses and validates a safetensors header against the size of the data buffer that follows it.</summary>
/// <remarks>
/// Checks what the reference reader (huggingface/safetensors, Metadata::validate) checks, and names the entry:
/// the header is a UTF-8 JSON object starting with '{'; each entry has a known dtype, a shape of non-negative
/// integers and data_offsets [begin, end] with end − begin = numel × element size; sorted by offset, the entries
/// tile the data buffer exactly, with no gap, no overlap and no trailing bytes. Duplicate keys, which JSON
/// readers silently collapse, are rejected too.
/// </remarks>
internal static class SafeTensorsHeaderReader
{
    /// <summary>The reference reader's limit; larger headers are refused before being parsed.</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    /// <summary>The first check on the 8-byte length prefix, made before the header is read.</summary>
    public static void CheckHeaderLength(ulong headerLength, long fileLength, string source)
    {
        if (headerLength > (ulong)(fileLength - 8))
            throw SafeTensorsError.File(source, $"header length {headerLength} exceeds file size {fileLength}");
        if (headerLength > MaxHeaderLength)
            throw SafeTensorsError.File(source, $"header length {headerLength} exceeds the {MaxHeaderLength}-byte limit");
    }

    /// <returns>The entries sorted by offset (the order of their bytes in the buffer) and the metadata.</returns>
    public static (List<SafeTensorLayout> Entries, Dictionary<string, string> Metadata) Parse(
        ReadOnlyMemory<byte> header, long bufferLength, string source)
    {
        if (!Utf8.IsValid(header.Span))
            throw SafeTensorsError.File(source, "header is not valid UTF-8");
        if (header.Length == 0 || header.Span[0] != (byte)'{')
            throw SafeTensorsError.File(source, $"header must be a JSON object starting with '{{' but starts with {DescribeStart(header.Span)}");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw SafeTensorsError.File(source, $"header is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var entries = new List<SafeTensorLayout>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw SafeTensorsError.Entry(source, property.Name, "appears more than once in the header");
                if (property.Name == MetadataKey)
                    ReadMetadata(property.Value, metadata, source);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, bufferLength, source));
            }
            CheckCoverage(entries, bufferLength, source);
            return (entries, metadata);
        }
    }

    static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw SafeTensorsError.File(source, $"\"{MetadataKey}\" must be an object of strings but is {Kind(value)}");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw SafeTensorsError.File(source, $"\"{MetadataKey}\" value of '{item.Name}' must be a string but is {Kind(item.Value)}");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))   // a String element always has a string
                throw SafeTensorsError.File(source, $"\"{MetadataKey}\" key '{item.Name}' appears more than once");
        }
    }

    static SafeTensorLayout ReadEntry(string name, JsonElement value, long bufferLength, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw SafeTensorsError.Entry(source, name, $"must be an object with dtype, shape and data_offsets but is {Kind(value)}");

        JsonElement dtypeElement = Member(value, "dtype", JsonValueKind.String, name, source);
        JsonElement shapeElement = Member(value, "shape", JsonValueKind.Array, name, source);
        JsonElement offsetsElement = Member(value, "data_offsets", JsonValueKind.Array, name, source);

        string? dtypeName = dtypeElement.GetString();
        if (!SafeTensorDTypeExtensions.TryParse(dtypeName, out SafeTensorDType? parsed))
            throw SafeTensorsError.Entry(source, name, $"unknown dtype \"{dtypeName}\"; supported: {SafeTensorDTypeExtensions.SupportedNames}");
        SafeTensorDType dtype = parsed.Value;

        int[] shape = ReadShape(shapeElement, name, source);
        string shapeText = shapeElement.GetRawText();

        // numel = ∏ dims and bytes = numel × element size, each checked for overflow as the reference does.
        long count = 1;
        foreach (int dim in shape)
        {
            if (dim != 0 && count > long.MaxValue / dim)
                throw SafeTensorsError.Entry(source, name, $"element count of shape {shapeText} overflows a 64-bit integer");
            count *= dim;
        }
        int size = dtype.ElementSize();
        if (count > long.MaxValue / size)
            throw SafeTensorsError.Entry(source, name, $"byte size of {dtypeName} {shapeText} overflows a 64-bit integer");
        long byteCount = count * size;

        (long begin, long end) = ReadOffsets(offsetsElement, name, source);
        string offsetsText = $"[{begin}, {end}]";
        if (begin > end)
            throw SafeTensorsError.Entry(source, name, $"data_offsets {offsetsText} end before they begin");
        if (end > bufferLength)
            throw SafeTensorsError.Entry(source, name, $"data_offsets {offsetsText} end past the {bufferLength}-byte data buffer");
        if (end - begin != byteCount)
            throw SafeTensorsError.Entry(source, name, $"{dtypeName} {shapeText} needs {count} × {size} = {byteCount} bytes but data_offsets {offsetsText} span {end - begin}");
        if (byteCount > Array.MaxLength)
            throw SafeTensorsError.Entry(source, name, $"{byteCount} bytes exceed the {Array.MaxLength} bytes one .NET array holds");

        return new SafeTensorLayout(name, dtype, shape, begin, end);
    }

    static JsonElement Member(JsonElement entry, string key, JsonValueKind kind, string name, string source)
    {
        if (!entry.TryGetProperty(key, out JsonElement member))
            throw SafeTensorsError.Entry(source, name, $"missing \"{key}\"");
        if (member.ValueKind != kind)
            throw SafeTensorsError.Entry(source, name, $"\"{key}\" must be {Kind(kind)} but is {Kind(member)}");
        return member;
    }

    static int[] ReadShape(JsonElement shapeElement, string name, string source)
    {
        var shape = new int[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (JsonElement dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long value))
                throw SafeTensorsError.Entry(source, name, $"shape {shapeElement.GetRawText()} has dimension {dim.GetRawText()}, which is not an integer");
            if (value < 0)
                throw SafeTensorsError.Entry(source, name, $"shape {shapeElement.GetRawText()} has negative dimension {value}");
            if (value > int.MaxValue)
                throw SafeTensorsError.Entry(source, name, $"shape {shapeElement.GetRawText()} has dimension {value}, above the limit {int.MaxValue}");
            shape[i++] = (int)value;
        }
        return shape;
    }

    static (long Begin, long End) ReadOffsets(JsonElement offsets, string name, string source)
    {
        string text = offsets.GetRawText();
        if (offsets.GetArrayLength() != 2)
            throw SafeTensorsError.Entry(source, name, $"data_offsets {text} must be two integers [begin, end]");
        Span<long> values = stackalloc long[2];
        int i = 0;
        foreach (JsonElement offset in offsets.EnumerateArray())
        {
            // Offsets beyond long.MaxValue cannot lie inside any file, so they fail like non-integers do.
            if (offset.ValueKind != JsonValueKind.Number || !offset.TryGetInt64(out long value) || value < 0)
                throw SafeTensorsError.Entry(source, name, $"data_offsets {text} must be two non-negative integers");
            values[i++] = value;
        }
        return (values[0], values[1]);
    }

    /// <summary>Sorted by offset, entries must tile [0, bufferLength): each begins where the previous ended.</summary>
    static void CheckCoverage(List<SafeTensorLayout> entries, long bufferLength, string source)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long covered = 0;
        string? previous = null;
        foreach (SafeTensorLayout entry in entries)
        {
            if (entry.Begin < covered)
                throw SafeTensorsError.Entry(source, entry.Name, $"data_offsets [{entry.Begin}, {entry.End}] overlap entry '{previous}', which ends at {covered}");
            if (entry.Begin > covered)
                throw SafeTensorsError.Entry(source, entry.Name, $"data_offsets [{entry.Begin}, {entry.End}] leave bytes [{covered}, {entry.Begin}) of the data buffer unused");
            covered = entry.End;
            previous = entry.Name;
        }
        if (covered != bufferLength)
            throw SafeTensorsError.File(source, $"entries cover {covered} bytes but the data buffer holds {bufferLength}; bytes [{covered}, {bufferLength}) are unused");
    }

    static string DescribeStart(ReadOnlySpan<byte> header) =>
        header.IsEmpty ? "nothing (the header is empty)"
        : header[0] is >= 0x20 and < 0x7F ? $"'{(char)header[0]}'"
        : $"byte 0x{header[0].ToString("X2", CultureInfo.InvariantCulture)}";

    static string Kind(JsonElement element) => Kind(element.ValueKind);

    static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
