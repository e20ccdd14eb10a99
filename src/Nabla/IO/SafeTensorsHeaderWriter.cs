using System.Globalization;
using System.Text;

namespace Nabla.IO;

/// <summary>Lays out tensors and encodes the header byte for byte as the reference writer (serde_json) does.</summary>
/// <remarks>
/// Order: descending dtype (the enum ascends by alignment), then name by UTF-8 bytes; with the header padded by
/// spaces to a multiple of 8 bytes, every tensor's data then starts aligned to its element size.
/// JSON: compact, "__metadata__" first (its keys in ordinal order, so output is deterministic), strings escaped
/// as serde_json escapes them: \" \\ \b \f \n \r \t, other control characters as \u00xx, all else raw UTF-8.
/// </remarks>
internal static class SafeTensorsHeaderWriter
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <returns>The entries in storage order and the padded header bytes.</returns>
    public static (SafeTensorEntry[] Ordered, byte[] Header) Prepare(
        IReadOnlyList<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        SafeTensorEntry[] ordered = Validate(tensors);
        byte[][] names = ordered.Select(e => Encode(e.Name, "tensor name")).ToArray();
        int[] order = Enumerable.Range(0, ordered.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int byType = ordered[b].DType.CompareTo(ordered[a].DType);
            return byType != 0 ? byType : names[a].AsSpan().SequenceCompareTo(names[b]);
        });
        ordered = order.Select(i => ordered[i]).ToArray();

        var json = new StringBuilder("{");
        if (metadata is not null)
        {
            json.Append("\"__metadata__\":{");
            bool first = true;
            foreach (string key in metadata.Keys.Order(StringComparer.Ordinal))
            {
                string value = metadata[key] ?? throw SafeTensorsError.Argument(nameof(metadata), $"metadata value of '{key}' is null");
                if (!first) json.Append(',');
                AppendString(json, key).Append(':');
                AppendString(json, value);
                first = false;
            }
            json.Append('}');
            if (ordered.Length > 0) json.Append(',');
        }

        long offset = 0;
        for (int i = 0; i < ordered.Length; i++)
        {
            SafeTensorEntry entry = ordered[i];
            if (i > 0) json.Append(',');
            AppendString(json, entry.Name).Append(":{\"dtype\":\"").Append(entry.DType.HeaderName()).Append("\",\"shape\":[");
            json.AppendJoin(',', entry.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            json.Append("],\"data_offsets\":[").Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',');
            offset += entry.Data.Length;
            json.Append(offset.ToString(CultureInfo.InvariantCulture)).Append("]}");
        }
        json.Append('}');

        byte[] text = Encode(json.ToString(), "header");
        int padded = (text.Length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        text.CopyTo(header, 0);
        header.AsSpan(text.Length).Fill((byte)' ');
        return (ordered, header);
    }

    static SafeTensorEntry[] Validate(IReadOnlyList<SafeTensorEntry> tensors)
    {
        var entries = new SafeTensorEntry[tensors.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Length; i++)
        {
            SafeTensorEntry entry = tensors[i] ?? throw SafeTensorsError.Argument(nameof(tensors), $"tensors[{i}] is null");
            if (entry.Name is null || entry.Shape is null || entry.Data is null)
                throw SafeTensorsError.Argument(nameof(tensors), $"tensors[{i}] has a null Name, Shape or Data");
            if (entry.Name == SafeTensorsHeaderReader.MetadataKey)
                throw SafeTensorsError.Argument(nameof(tensors), $"a tensor cannot be named '{SafeTensorsHeaderReader.MetadataKey}', the header's metadata key");
            if (!names.Add(entry.Name))
                throw SafeTensorsError.Argument(nameof(tensors), $"tensor name '{entry.Name}' appears more than once");
            string shape = $"[{string.Join(", ", entry.Shape)}]";
            if (entry.Shape.Any(d => d < 0))
                throw SafeTensorsError.Argument(nameof(tensors), $"tensor '{entry.Name}' has a negative dimension in shape {shape}");
            // numel in 128 bits saturated at long.MaxValue: no array holds that many bytes, so it only has to fail.
            Int128 count = 1;
            foreach (int dim in entry.Shape) count = Int128.Min(count * dim, long.MaxValue);
            int size = entry.DType.ElementSize();
            if (count * size != entry.Data.Length)
                throw SafeTensorsError.Argument(nameof(tensors),
                    $"tensor '{entry.Name}': {entry.DType.HeaderName()} {shape} needs {count} × {size} = {count * size} bytes but Data holds {entry.Data.Length}");
            entries[i] = entry;
        }
        return entries;
    }

    static byte[] Encode(string text, string what)
    {
        try
        {
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"safetensors: {what} is not valid UTF-16 text (unpaired surrogate at index {e.Index})", e);
        }
    }

    static StringBuilder AppendString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }
        return json.Append('"');
    }
}
