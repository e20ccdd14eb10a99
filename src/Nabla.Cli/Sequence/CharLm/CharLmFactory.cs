using System.Globalization;
using Nabla.Data.Text;
using Nabla.Models.Language;

namespace Nabla.Cli.Sequence.CharLm;

/// <summary>Builds character-level language models and describes them in checkpoint metadata, so <c>nabla sample</c>
/// rebuilds exactly the network that was trained, with its vocabulary.</summary>
internal static class CharLmFactory
{
    /// <summary>The metadata value of "arch" for these models.</summary>
    public const string Arch = "charlm";

    /// <summary>The architecture of a character model and its sizes.</summary>
    public sealed record Spec(string Kind, int Embedding, int Hidden, int Layers, double Dropout, int Heads, int FeedForward, int Context)
    {
        /// <summary>One line for the console and plots.</summary>
        public string Title => Kind == "lstm"
            ? $"LSTM language model ({Layers}×{Hidden}, embedding {Embedding})"
            : $"Transformer language model ({Layers} layers, d_model {Hidden}, {Heads} heads, context {Context})";
    }

    /// <summary>The model for <paramref name="spec"/> over <paramref name="vocabularySize"/> ids.</summary>
    public static LanguageModel Build(Spec spec, int vocabularySize, Nabla.Tensors.Generator? generator = null) => spec.Kind switch
    {
        "lstm" => new LstmLanguageModel(vocabularySize, spec.Embedding, spec.Hidden, spec.Layers, spec.Dropout, generator),
        "transformer" => new TransformerLanguageModel(vocabularySize, spec.Hidden, spec.Heads, spec.FeedForward, spec.Layers, spec.Context, spec.Dropout, generator),
        _ => throw new InvalidDataException($"unknown language model kind '{spec.Kind}'; expected lstm or transformer"),
    };

    /// <summary>The checkpoint metadata for <paramref name="spec"/> and its vocabulary.</summary>
    public static Dictionary<string, string> Metadata(Spec spec, Vocabulary vocabulary) => new()
    {
        ["arch"] = Arch,
        ["kind"] = spec.Kind,
        ["embedding"] = Text(spec.Embedding),
        ["hidden"] = Text(spec.Hidden),
        ["layers"] = Text(spec.Layers),
        ["dropout"] = spec.Dropout.ToString("R", CultureInfo.InvariantCulture),
        ["heads"] = Text(spec.Heads),
        ["feed_forward"] = Text(spec.FeedForward),
        ["context"] = Text(spec.Context),
        ["vocabulary"] = vocabulary.ToJson(),
    };

    /// <summary>Reads <see cref="Metadata"/> back.</summary>
    /// <exception cref="InvalidDataException">The metadata is not that of a character language model.</exception>
    public static (Spec Spec, CharVocabulary Vocabulary) Read(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (metadata.GetValueOrDefault("arch") != Arch)
            throw new InvalidDataException($"{source} is not a character language model (its metadata says arch '{metadata.GetValueOrDefault("arch", "none")}', expected '{Arch}'); train one with 'nabla train charlm'");
        int Int(string key) => int.TryParse(metadata.GetValueOrDefault(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' is missing or not an integer");
        double dropout = double.TryParse(metadata.GetValueOrDefault("dropout"), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : 0;
        var spec = new Spec(metadata.GetValueOrDefault("kind", ""), Int("embedding"), Int("hidden"), Int("layers"), dropout, Int("heads"), Int("feed_forward"), Int("context"));
        var vocabulary = CharVocabulary.From(Vocabulary.FromJson(metadata.GetValueOrDefault("vocabulary")
            ?? throw new InvalidDataException($"{source}: metadata 'vocabulary' is missing")));
        return (spec, vocabulary);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
