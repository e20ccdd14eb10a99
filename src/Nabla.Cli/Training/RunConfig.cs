using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nabla.Cli.Training;

/// <summary>config.json: everything that determines a run, written before it starts and read back by <c>--resume</c>.</summary>
internal sealed record RunConfig(
    string Command,
    IReadOnlyDictionary<string, string> Model,
    string Optimizer,
    int Epochs,
    int BatchSize,
    double LearningRate,
    string Schedule,
    long Seed,
    int Threads,
    string Data,
    int TrainSamples,
    int TestSamples,
    string Started,
    string NablaVersion,
    int CheckpointEvery = 0,
    double Momentum = 0,
    double WeightDecay = 0,
    bool Augment = false)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // a file for people and tools, never embedded in HTML: keep '+' and paths readable
        RespectNullableAnnotations = true,                       // reading: a missing or null field is an error, not a null
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The configuration as indented JSON with snake_case keys.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes the configuration as indented JSON with snake_case keys.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson() + "\n");

    /// <summary>Reads a configuration written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON, lacks a field, or holds an impossible value.</exception>
    public static RunConfig Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses the JSON of <see cref="ToJson"/>; <paramref name="source"/> names it in errors.</summary>
    public static RunConfig Parse(string json, string source)
    {
        RunConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<RunConfig>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a run configuration written by nabla: {e.Message}", e);
        }
        if (config is null) throw new InvalidDataException($"{source} is not a run configuration written by nabla: it holds null");
        string? problem = config.Epochs < 1 ? $"epochs is {config.Epochs}"
            : config.BatchSize < 1 ? $"batch_size is {config.BatchSize}"
            : !(double.IsFinite(config.LearningRate) && config.LearningRate > 0) ? $"learning_rate is {config.LearningRate.ToString(CultureInfo.InvariantCulture)}"
            : !LearningRates.Names.Contains(config.Schedule) ? $"schedule is '{config.Schedule}'"
            : !Optimizers.Names.Contains(config.Optimizer) ? $"optimizer is '{config.Optimizer}'"
            : !(double.IsFinite(config.Momentum) && config.Momentum >= 0) ? $"momentum is {config.Momentum.ToString(CultureInfo.InvariantCulture)}"
            : !(double.IsFinite(config.WeightDecay) && config.WeightDecay >= 0) ? $"weight_decay is {config.WeightDecay.ToString(CultureInfo.InvariantCulture)}"
            : config.Threads < 1 ? $"threads is {config.Threads}"
            : config.CheckpointEvery < 0 ? $"checkpoint_every is {config.CheckpointEvery}"
            : null;
        return problem is null ? config : throw new InvalidDataException($"{source} holds an impossible configuration: {problem}");
    }

    /// <summary>The first setting that determines training (model, optimizer, epochs, batch size, rate, schedule, seed,
    /// augmentation) and differs
    /// from <paramref name="other"/>'s, as "epochs: 3 here, 5 there", or null when they agree.</summary>
    public string? DifferenceFrom(RunConfig other)
    {
        static string Pair(object a, object b) => string.Create(CultureInfo.InvariantCulture, $"{a} and {b}");
        if (!Model.OrderBy(kv => kv.Key, StringComparer.Ordinal).SequenceEqual(other.Model.OrderBy(kv => kv.Key, StringComparer.Ordinal)))
            return $"model: {string.Join(" ", Model.Select(kv => $"{kv.Key}={kv.Value}"))} and {string.Join(" ", other.Model.Select(kv => $"{kv.Key}={kv.Value}"))}";
        if (Epochs != other.Epochs) return "epochs: " + Pair(Epochs, other.Epochs);
        if (BatchSize != other.BatchSize) return "batch_size: " + Pair(BatchSize, other.BatchSize);
        if (LearningRate != other.LearningRate) return "learning_rate: " + Pair(LearningRate, other.LearningRate);
        if (Schedule != other.Schedule) return "schedule: " + Pair(Schedule, other.Schedule);
        if (Seed != other.Seed) return "seed: " + Pair(Seed, other.Seed);
        if (Optimizer != other.Optimizer) return "optimizer: " + Pair(Optimizer, other.Optimizer);
        if (Momentum != other.Momentum) return "momentum: " + Pair(Momentum, other.Momentum);
        if (WeightDecay != other.WeightDecay) return "weight_decay: " + Pair(WeightDecay, other.WeightDecay);
        if (Augment != other.Augment) return "augment: " + Pair(Augment, other.Augment);
        return null;
    }
}
