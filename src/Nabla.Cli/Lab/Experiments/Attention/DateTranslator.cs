using System.Globalization;
using Nabla.Cli.Lab.Common;
using Nabla.Cli.Sequence.Seq2Seq;
using Nabla.IO;
using Nabla.Models.Translation;

namespace Nabla.Cli.Lab.Experiments.Attention;

/// <summary>The trained date-translation model whose attention the report shows: in a quick run the newest model of an
/// earlier <c>nabla train seq2seq</c> run if there is one, otherwise a Transformer trained here.</summary>
internal static class DateTranslator
{
    /// <summary>A translation model ready to decode.</summary>
    /// <param name="Model">The model.</param>
    /// <param name="Description">What it is, for the set-up.</param>
    /// <param name="ReusedFrom">The checkpoint it was loaded from, or null when trained in this run.</param>
    /// <param name="Seconds">Training time (0 when reused).</param>
    public sealed record Result(Seq2SeqModel Model, string Description, string? ReusedFrom, double Seconds);

    /// <summary>Loads or trains the model.</summary>
    public static Result Obtain(LabContext context, AttentionLabSettings s, DateBatches batches)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(batches);
        if (context.Scale == LabScale.Quick && Find(context.RunsDirectory) is { } path)
        {
            try
            {
                var (model, description) = Load(path, batches);
                context.Say($"reusing {path} ({description})");
                return new Result(model, description, path, 0);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or FormatException or KeyNotFoundException)
            {
                context.Say($"could not load {path} ({e.Message}); training instead");
            }
        }
        var transformer = new TransformerSeq2Seq(batches.Source.Count, batches.Target.Count, s.DModel, s.Heads, s.Layers, s.Layers, 4 * s.DModel,
            dropout: 0.1, maxLength: 64, generator: context.Random(20));
        context.Say($"training a date-translation Transformer for {s.Steps} steps");
        var (_, seconds) = TranslationTrainer.Train(transformer, batches, s.Steps, s.BatchSize, s.LearningRate, context.Random(21));
        string trained = string.Create(CultureInfo.InvariantCulture,
            $"a Transformer encoder-decoder ({s.Layers}+{s.Layers} layers, d_model {s.DModel}, {s.Heads} heads, {transformer.ParameterCount():N0} parameters) trained here for {s.Steps} steps of {s.BatchSize} dates (Adam, peak learning rate {s.LearningRate}, warm-up then cosine decay, dropout 0.1)");
        return new Result(transformer, trained, null, seconds);
    }

    /// <summary>The model.safetensors of the newest run folder under <paramref name="runsDirectory"/> whose checkpoint says
    /// it is a seq2seq model (<c>nabla train seq2seq</c> writes no config.json, so <see cref="Common.RunFinder"/> cannot
    /// match it; its checkpoint metadata can); Transformer runs are preferred to LSTM ones.</summary>
    public static string? Find(string runsDirectory)
    {
        if (!Directory.Exists(runsDirectory)) return null;
        var found = new List<(string Path, bool Transformer, DateTime Time)>();
        foreach (var folder in Directory.GetDirectories(runsDirectory))
        {
            string path = Path.Combine(folder, "model.safetensors");
            if (!File.Exists(path)) continue;
            try
            {
                var metadata = SafeTensors.Read(path).Metadata;
                if (metadata.TryGetValue("arch", out var arch) && arch == "seq2seq")
                    found.Add((path, metadata.TryGetValue("kind", out var kind) && kind == "transformer", File.GetLastWriteTimeUtc(path)));
            }
            catch (InvalidDataException)
            {
                // not a readable safetensors file: not a run of ours
            }
        }
        return found.OrderByDescending(f => f.Transformer).ThenByDescending(f => f.Time).Select(f => f.Path).FirstOrDefault();
    }

    /// <summary>Rebuilds the model <c>nabla train seq2seq</c> saved at <paramref name="path"/> from its metadata (kind, hidden,
    /// heads, layers) and loads its weights.</summary>
    public static (Seq2SeqModel Model, string Description) Load(string path, DateBatches batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var state = Checkpoint.LoadModel(path, out var metadata);
        int Get(string key) => int.Parse(metadata[key], CultureInfo.InvariantCulture);
        int hidden = Get("hidden");
        Seq2SeqModel model;
        string description;
        if (metadata["kind"] == "transformer")
        {
            int heads = Get("heads"), layers = Get("layers");
            model = new TransformerSeq2Seq(batches.Source.Count, batches.Target.Count, hidden, heads, layers, layers, 4 * hidden, 0.1, 64);
            description = string.Create(CultureInfo.InvariantCulture, $"a Transformer encoder-decoder ({layers}+{layers} layers, d_model {hidden}, {heads} heads)");
        }
        else
        {
            model = new LstmAttentionSeq2Seq(batches.Source.Count, batches.Target.Count, 64, hidden, 0.1);
            description = string.Create(CultureInfo.InvariantCulture, $"an LSTM encoder-decoder with additive attention (hidden {hidden})");
        }
        model.LoadStateDict(state);
        return (model, $"{description}, {model.ParameterCount().ToString("N0", CultureInfo.InvariantCulture)} parameters, loaded from an earlier `nabla train seq2seq` run");
    }
}
