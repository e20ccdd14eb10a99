using System.Text.RegularExpressions;

namespace Nabla.Data.Text;

/// <summary>A simple word tokenizer: runs of letters and digits (with inner apostrophes, as in "don't") are words, and
/// every other non-space character is a token of its own; optionally lower-cased (torchtext's basic_english does both).</summary>
public sealed partial class WordTokenizer(bool lowercase = true)
{
    /// <summary>Whether tokens are lower-cased.</summary>
    public bool Lowercase { get; } = lowercase;

    /// <summary>The tokens of <paramref name="text"/>.</summary>
    public string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Lowercase) text = text.ToLowerInvariant();
        return [.. Token().Matches(text).Select(m => m.Value)];
    }

    /// <summary>Joins tokens with spaces, without a space before closing punctuation.</summary>
    public static string Detokenize(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var text = new System.Text.StringBuilder();
        foreach (var token in tokens)
        {
            bool attach = token.Length == 1 && ".,;:!?)]}'%".Contains(token[0], StringComparison.Ordinal);
            if (text.Length > 0 && !attach && text[^1] is not ('(' or '[' or '{')) text.Append(' ');
            text.Append(token);
        }
        return text.ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]")]
    private static partial Regex Token();
}
