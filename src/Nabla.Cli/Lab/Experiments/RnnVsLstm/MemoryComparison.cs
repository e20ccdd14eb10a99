using System.Globalization;
using Nabla.Cli.Sequence.Memory;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.RnnVsLstm;

/// <summary>The memory-task half of the experiment: <c>nabla train memory</c>'s trainer run for every (length, model)
/// pair, keeping the results, the learning curves and the models trained at the longest length.</summary>
internal static class MemoryComparison
{
    /// <summary>What the runs produced.</summary>
    /// <param name="Results">One per (length, model), lengths outer.</param>
    /// <param name="Curves">The test accuracy during each run.</param>
    /// <param name="Longest">The models trained at the longest length, by name ("rnn").</param>
    public sealed record Outcome(IReadOnlyList<MemoryResult> Results, IReadOnlyList<LearningCurve> Curves, IReadOnlyDictionary<string, RecurrentClassifier> Longest);

    /// <summary>Trains each model at each length of <paramref name="settings"/>; at one length every model sees the same
    /// training and test sequences. LSTM and GRU gate biases start by the chrono rule, as in <c>nabla train memory</c>.</summary>
    public static Outcome Run(LabContext context, MemorySettings settings)
    {
        var results = new List<MemoryResult>();
        var curves = new List<LearningCurve>();
        var longest = new Dictionary<string, RecurrentClassifier>();
        var progress = new LabRunProgress(context);
        using var metrics = new MemoryMetrics(context.PathOf("metrics.csv"));
        foreach (int length in settings.Lengths)
        {
            var task = settings.CreateTask(length);
            var test = task.Sample(settings.TestSize, context.Random(Stream(length, 99)));
            for (int m = 0; m < settings.Models.Length; m++)
            {
                string name = settings.Models[m];
                var model = Create(settings, name, length, context.Random(Stream(length, 1 + m)));
                var (result, curve) = MemoryTrainer.Train(settings, name, model, task, test, context.Random(Stream(length, 0)), metrics, progress);
                progress.End(string.Create(CultureInfo.InvariantCulture,
                    $"{MemorySettings.Title(name)} T={length}: test accuracy {result.TestAccuracy * 100:F1}% after {result.Steps} steps ({result.Seconds:F1} s)"));
                results.Add(result);
                curves.Add(curve);
                if (length == settings.Lengths[^1]) longest[name] = model;
            }
        }
        return new Outcome(results, curves, longest);
    }

    /// <summary>A freshly initialized classifier for <paramref name="length"/>: PyTorch's initialization, then, for an LSTM or
    /// GRU when the settings say "chrono", chrono gate biases for dependencies up to <paramref name="length"/>.</summary>
    public static RecurrentClassifier Create(MemorySettings settings, string name, int length, Generator generator)
    {
        var kind = MemorySettings.Kind(name);
        var task = settings.CreateTask(length);
        var model = new RecurrentClassifier(kind, task.InputSize, settings.Hidden, task.Outputs, generator);
        if (settings.Init == "chrono" && kind != RecurrentKind.Rnn) ChronoInit.Apply(model.Rnn, length, generator);
        return model;
    }

    private static long Stream(int length, int purpose) => length * 128L + purpose;
}
