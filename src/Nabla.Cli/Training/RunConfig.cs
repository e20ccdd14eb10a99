using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nabla.Cli.Training;

/// <summary>config.json: everything that determines a run, written before it starts.</summary>
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
    string NablaVersion)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // a file for people and tools, never embedded in HTML: keep '+' and paths readable
    };

    /// <summary>Writes the configuration as indented JSON with snake_case keys.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}
