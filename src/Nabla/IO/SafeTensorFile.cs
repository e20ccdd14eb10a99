using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Nabla.IO;

/// <summary>The contents of a safetensors file: its tensors, in storage order, and its string metadata.</summary>
/// <remarks>Produced by <see cref="SafeTensors.Read(string)"/> after the whole file has been validated.</remarks>
public sealed class SafeTensorFile
{
    readonly Dictionary<string, SafeTensorEntry> byName;

    internal SafeTensorFile(string sourceName, IList<SafeTensorEntry> entries, IDictionary<string, string> metadata)
    {
        SourceName = sourceName;
        Entries = new ReadOnlyCollection<SafeTensorEntry>(entries);
        Metadata = new ReadOnlyDictionary<string, string>(metadata);
        byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The path or name the file was read from, as used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>Every tensor, in the order of its bytes in the file.</summary>
    public IReadOnlyList<SafeTensorEntry> Entries { get; }

    /// <summary>The header's "__metadata__" map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists those that exist.</exception>
    public SafeTensorEntry this[string name] => TryGet(name, out SafeTensorEntry? entry) ? entry
        : throw new KeyNotFoundException($"safetensors: no entry '{name}' in {SourceName}; it holds {Describe()}");

    /// <summary>Looks up the tensor called <paramref name="name"/>.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out SafeTensorEntry entry) => byName.TryGetValue(name, out entry);

    string Describe()
    {
        const int shown = 10;
        if (Entries.Count == 0) return "no entries";
        string names = string.Join(", ", Entries.Take(shown).Select(e => $"'{e.Name}'"));
        return Entries.Count <= shown ? $"{Entries.Count}: {names}" : $"{Entries.Count}: {names}, …";
    }
}
