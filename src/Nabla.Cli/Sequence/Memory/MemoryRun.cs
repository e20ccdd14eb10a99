using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nabla.Cli.Training;
using Nabla.IO;
using Nabla.Models;
using Nabla.Models.Tasks;
using Nabla.Tensors;

namespace Nabla.Cli.Sequence.Memory;

/// <summary><c>nabla train memory</c>: trains each model at each sequence length on a long-range memory task and fills
/// a run folder: config.json, metrics.csv, results.csv, results.md, accuracy.png and MODEL-TLENGTH/model.safetensors.</summary>
/// <remarks>At one length every model sees the same training sequences (one generator seeded by --seed and the length)
/// and the same test set (seeded by the length alone, whatever --seed), so the models differ only in their cell and
/// their initialization.</remarks>
internal static class MemoryRun
{
    private const long TestSeed = 0x7E57_0000;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Trains every (model, length) pair and returns the results, lengths outer, models inner.</summary>
    public static IReadOnlyList<MemoryResult> Execute(CliConsole console, MemorySettings settings)
    {
        using var threads = new ThreadLimit(settings.Threads);
        var output = console.Out;
        var run = new RunFolder(settings.RunDirectory);
        var example = settings.CreateTask(settings.Lengths[0]);
        output.WriteLine($"nabla train memory: {Describe(example)}");
        output.WriteLine(Invariant($"  models: {string.Join(", ", settings.Models.Select(MemorySettings.Title))}, one layer of {settings.Hidden} hidden units and a linear head on h_T; gate init {(settings.Init == "chrono" ? "chrono (LSTM, GRU)" : "PyTorch's")}"));
        output.WriteLine(Invariant($"  lengths: {string.Join(", ", settings.Lengths)}"));
        output.WriteLine(Invariant($"  training: up to {settings.Steps:N0} steps of {settings.BatchSize} fresh sequences, Adam lr {settings.LearningRate:G4}, {(settings.Clip > 0 ? $"gradient norm clipped at {settings.Clip:G4}" : "no gradient clipping")}, seed {settings.Seed}, {settings.Threads} threads; stops once solved"));
        output.WriteLine(Invariant($"  test: {settings.TestSize:N0} held-out sequences per length, evaluated every {settings.EvalEvery} steps"));
        output.WriteLine($"  run folder: {run.Path}");
        File.WriteAllText(run.Config, JsonSerializer.Serialize(new
        {
            Command = "train memory",
            Settings = settings,
            Started = DateTimeOffset.Now.ToString("o", CultureInfo.InvariantCulture),
            NablaVersion = Versions.Library,
        }, Json) + "\n");

        Generator.ManualSeed(settings.Seed);
        var results = new List<MemoryResult>();
        var curves = new List<LearningCurve>();
        using (var metrics = new MemoryMetrics(run.Metrics))
        {
            RunProgress.Run(console, progress =>
            {
                foreach (int length in settings.Lengths)
                {
                    var task = settings.CreateTask(length);
                    var test = task.Sample(settings.TestSize, new Generator(TestSeed + length));
                    for (int m = 0; m < settings.Models.Length; m++)
                    {
                        string name = settings.Models[m];
                        var kind = MemorySettings.Kind(name);
                        var init = new Generator(StreamSeed(settings.Seed, length, 1 + m));
                        var model = new RecurrentClassifier(kind, task.InputSize, settings.Hidden, task.Outputs, init);
                        if (settings.Init == "chrono" && kind != RecurrentKind.Rnn) ChronoInit.Apply(model.Rnn, length, init);
                        var data = new Generator(StreamSeed(settings.Seed, length, 0));
                        progress.Begin(Invariant($"{MemorySettings.Title(name)} T={length}"), settings.Steps);
                        var (result, curve) = MemoryTrainer.Train(settings, name, model, task, test, data, metrics, progress);
                        string folder = Path.Combine(run.Path, Invariant($"{name}-T{length}"));
                        Directory.CreateDirectory(folder);
                        Checkpoint.Save(Path.Combine(folder, "model.safetensors"), model, Metadata(settings, task, name, result));
                        results.Add(result);
                        curves.Add(curve);
                        progress.End(Summary(settings, result));
                    }
                }
            });
        }

        MemoryResults.WriteCsv(Path.Combine(run.Path, "results.csv"), settings, results);
        string caption = MemoryResults.Caption(settings, example);
        string table = MemoryResults.Markdown(settings, results);
        File.WriteAllText(Path.Combine(run.Path, "results.md"), $"{caption}\n\n{table}");
        MemoryPlot.Save(Path.Combine(run.Path, "accuracy.png"), settings, results, curves);
        output.WriteLine($"wrote {run.Path}: config.json, metrics.csv, results.csv, results.md, accuracy.png and MODEL-TLENGTH/model.safetensors per run");
        output.WriteLine();
        output.WriteLine(caption);
        output.WriteLine();
        output.Write(table);
        return results;
    }

    /// <summary>The checkpoint metadata: what rebuilds the model (a <see cref="RecurrentClassifier"/> of this kind and
    /// size) and what it was trained on and reached.</summary>
    private static Dictionary<string, string> Metadata(MemorySettings settings, MemoryTask task, string name, MemoryResult result)
    {
        var metadata = new Dictionary<string, string>
        {
            ["arch"] = "recurrent_classifier",
            ["cell"] = name,
            ["input_size"] = Invariant($"{task.InputSize}"),
            ["hidden_size"] = Invariant($"{settings.Hidden}"),
            ["classes"] = Invariant($"{task.Outputs}"),
            ["batch_first"] = "true",
            ["task"] = task.Name,
            ["length"] = Invariant($"{task.Length}"),
            ["init"] = settings.Init,
            ["steps"] = Invariant($"{result.Steps}"),
            ["test_loss"] = Invariant($"{result.TestLoss:G6}"),
            ["test_accuracy"] = Invariant($"{result.TestAccuracy:G6}"),
        };
        if (task is RecallTask recall) (metadata["symbols"], metadata["distractors"]) = (Invariant($"{recall.Symbols}"), Invariant($"{recall.Distractors}"));
        if (result.SolvedAtStep is int solved) metadata["solved_at_step"] = Invariant($"{solved}");
        return metadata;
    }

    private static string Describe(MemoryTask task) => task switch
    {
        RecallTask r => Invariant($"recall the first of {r.Symbols} symbols after T − 1 steps of {r.Distractors} distractors (one-hot, {r.InputSize} inputs; chance {r.ChanceAccuracy * 100:F2}%)"),
        _ => Invariant($"the adding problem, the sum of the two marked values among T in [0, 1) (2 inputs; regression, MSE)"),
    };

    private static string Summary(MemorySettings settings, MemoryResult r)
    {
        string measured = settings.Task == "adding"
            ? Invariant($"test MSE {r.TestLoss:F4}  accuracy {r.TestAccuracy * 100:F2}%")
            : Invariant($"test accuracy {r.TestAccuracy * 100:F2}%  loss {r.TestLoss:F4}");
        string outcome = r.DivergedAtStep is int d ? Invariant($"diverged at step {d:N0} (try a smaller --lr or --clip)")
            : r.SolvedAtStep is int s ? Invariant($"solved at step {s:N0}") : Invariant($"not solved in {r.Steps:N0} steps");
        return Invariant($"{MemorySettings.Title(r.Model),-4} T={r.Length,-4}  {measured}  {outcome}  {r.Seconds:F1} s");
    }

    // Distinct, reproducible streams per (seed, length, purpose); the generator's SplitMix seeding decorrelates nearby seeds.
    private static long StreamSeed(long seed, int length, int stream) => unchecked(seed * 1_000_003 + length * 64L + stream);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
