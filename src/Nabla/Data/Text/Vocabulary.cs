using System.Text.Json;
using Nabla.Tensors;

namespace Nabla.Data.Text;

/// <summary>A two-way map between tokens and ids: the <see cref="SpecialTokens"/> at ids 0–3, then the tokens in the
/// order they were added. Encodes token sequences to int64 ids (unknown tokens become &lt;unk&gt;) and decodes back.</summary>
public sealed class Vocabulary
{
    private readonly List<string> tokens = [.. SpecialTokens.All];
    private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);

    /// <summary>A vocabulary holding only the special tokens.</summary>
    public Vocabulary()
    {
        for (int i = 0; i < tokens.Count; i++) ids[tokens[i]] = i;
    }

    /// <summary>A vocabulary of <paramref name="tokens"/> (after the special tokens), each once, in the order given.</summary>
    public Vocabulary(IEnumerable<string> tokens) : this()
    {
        ArgumentNullException.ThrowIfNull(tokens);
        foreach (var token in tokens) Add(token);
    }

    /// <summary>Builds a vocabulary from a corpus: tokens seen at least <paramref name="minFrequency"/> times, most
    /// frequent first (ties in order of first appearance), at most <paramref name="maxSize"/> including the specials.</summary>
    public static Vocabulary Build(IEnumerable<IEnumerable<string>> corpus, int minFrequency = 1, int? maxSize = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var counts = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        int order = 0;
        foreach (var sentence in corpus)
            foreach (var token in sentence)
                counts[token] = counts.TryGetValue(token, out var c) ? (c.Count + 1, c.First) : (1, order++);
        var chosen = counts.Where(kv => kv.Value.Count >= minFrequency && !SpecialTokens.All.Contains(kv.Key))
            .OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First).Select(kv => kv.Key);
        if (maxSize is { } max) chosen = chosen.Take(Math.Max(0, max - SpecialTokens.All.Count));
        return new Vocabulary(chosen);
    }

    /// <summary>Number of tokens, specials included.</summary>
    public int Count => tokens.Count;

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string this[int id] => (uint)id < (uint)tokens.Count ? tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), $"Vocabulary: id {id} is outside [0, {tokens.Count}).");

    /// <summary>The tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => tokens;

    /// <summary>Adds <paramref name="token"/> if new; returns its id.</summary>
    public int Add(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (ids.TryGetValue(token, out int id)) return id;
        ids[token] = tokens.Count;
        tokens.Add(token);
        return tokens.Count - 1;
    }

    /// <summary>Whether <paramref name="token"/> has its own id.</summary>
    public bool Contains(string token) => ids.ContainsKey(token);

    /// <summary>The id of <paramref name="token"/>, or <see cref="SpecialTokens.UnkId"/>.</summary>
    public int IdOf(string token) => ids.TryGetValue(token, out int id) ? id : SpecialTokens.UnkId;

    /// <summary>Ids of the tokens, optionally framed by &lt;bos&gt; and &lt;eos&gt;.</summary>
    public long[] Encode(IEnumerable<string> sequence, bool addBos = false, bool addEos = false)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var result = new List<long>();
        if (addBos) result.Add(SpecialTokens.BosId);
        foreach (var token in sequence) result.Add(IdOf(token));
        if (addEos) result.Add(SpecialTokens.EosId);
        return [.. result];
    }

    /// <summary>The tokens of <paramref name="sequence"/>, stopping at the first &lt;eos&gt; and leaving out padding and
    /// &lt;bos&gt; when <paramref name="skipSpecial"/>.</summary>
    public IReadOnlyList<string> Decode(IEnumerable<long> sequence, bool skipSpecial = true)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var result = new List<string>();
        foreach (long id in sequence)
        {
            if (skipSpecial && id == SpecialTokens.EosId) break;
            if (skipSpecial && id is SpecialTokens.PadId or SpecialTokens.BosId) continue;
            result.Add(this[checked((int)id)]);
        }
        return result;
    }

    /// <summary>The tokens as a JSON array in id order (what <see cref="FromJson"/> reads); checkpoints keep it in their metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(tokens);

    /// <summary>Reads <see cref="ToJson"/>'s output; the first four entries must be the special tokens.</summary>
    public static Vocabulary FromJson(string json)
    {
        var list = JsonSerializer.Deserialize<List<string>>(json)
            ?? throw new InvalidDataException("Vocabulary.FromJson: expected a JSON array of strings; got null.");
        if (list.Count < SpecialTokens.All.Count || !list.Take(SpecialTokens.All.Count).SequenceEqual(SpecialTokens.All))
            throw new InvalidDataException($"Vocabulary.FromJson: the first entries must be {string.Join(", ", SpecialTokens.All)}; got {string.Join(", ", list.Take(4))}.");
        var duplicate = list.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"Vocabulary.FromJson: token '{duplicate.Key}' appears more than once.");
        return new Vocabulary(list.Skip(SpecialTokens.All.Count));
    }

    /// <summary>Pads encoded sequences into one int64 batch [B, T] (T the longest, or <paramref name="length"/>) filled with
    /// &lt;pad&gt;, and returns each sequence's length. A sequence longer than <paramref name="length"/> is refused.</summary>
    public static (Tensor Ids, int[] Lengths) PadBatch(IReadOnlyList<long[]> sequences, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        int longest = sequences.Count == 0 ? 0 : sequences.Max(s => s.Length);
        int t = length ?? longest;
        if (longest > t) throw new ArgumentException($"Vocabulary.PadBatch: a sequence of {longest} tokens does not fit the length {t}.", nameof(length));
        var data = new long[sequences.Count * t];
        var lengths = new int[sequences.Count];
        for (int b = 0; b < sequences.Count; b++)
        {
            sequences[b].CopyTo(data, b * t);
            lengths[b] = sequences[b].Length;
        }
        return (Tensor.FromArray<long>(data, [sequences.Count, t]), lengths);
    }

    /// <summary>PyTorch's key_padding_mask for a batch [B, T]: true where the step is padding (to be ignored).</summary>
    public static Tensor PaddingMask(IReadOnlyList<int> lengths, int steps)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        var mask = new bool[lengths.Count * steps];
        for (int b = 0; b < lengths.Count; b++)
            for (int t = lengths[b]; t < steps; t++) mask[b * steps + t] = true;
        return Tensor.FromArray<bool>(mask, [lengths.Count, steps]);
    }
}
