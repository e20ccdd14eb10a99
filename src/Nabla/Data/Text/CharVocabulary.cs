namespace Nabla.Data.Text;

/// <summary>A character-level vocabulary: every distinct character of a text becomes a token (sorted by code point, so
/// the same text always gives the same ids), after the <see cref="SpecialTokens"/>.</summary>
public sealed class CharVocabulary
{
    /// <summary>The underlying token vocabulary (tokens are one-character strings).</summary>
    public Vocabulary Vocabulary { get; }

    private CharVocabulary(Vocabulary vocabulary) => Vocabulary = vocabulary;

    /// <summary>The vocabulary of the characters of <paramref name="text"/>.</summary>
    public static CharVocabulary Build(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.Distinct().Order().Select(c => c.ToString());
        return new CharVocabulary(new Vocabulary(chars));
    }

    /// <summary>Wraps a vocabulary whose non-special tokens are single characters (one read back from a checkpoint).</summary>
    public static CharVocabulary From(Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var bad = vocabulary.Tokens.Skip(SpecialTokens.All.Count).FirstOrDefault(t => t.Length != 1);
        if (bad is not null) throw new ArgumentException($"CharVocabulary.From: token '{bad}' is not a single character.", nameof(vocabulary));
        return new CharVocabulary(vocabulary);
    }

    /// <summary>Number of ids, specials included.</summary>
    public int Count => Vocabulary.Count;

    /// <summary>The ids of the characters of <paramref name="text"/> (unknown ones become &lt;unk&gt;).</summary>
    public long[] Encode(string text, bool addBos = false, bool addEos = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Vocabulary.Encode(text.Select(c => c.ToString()), addBos, addEos);
    }

    /// <summary>The text of <paramref name="ids"/>, skipping special tokens and stopping at &lt;eos&gt;.</summary>
    public string Decode(IEnumerable<long> ids) => string.Concat(Vocabulary.Decode(ids));
}
