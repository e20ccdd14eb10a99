using Nabla.Cli.Generative;

namespace Nabla.Cli.Sequence.Memory;

/// <summary>accuracy.png: test accuracy against sequence length, one line per model, with the chance level (left); and
/// the learning curves at the longest length, test accuracy against steps (right).</summary>
internal static class MemoryPlot
{
    private static readonly Dictionary<string, ScottPlot.Color> Colors = new()
    {
        ["rnn"] = ScottPlot.Colors.OrangeRed,
        ["lstm"] = ScottPlot.Colors.SteelBlue,
        ["gru"] = ScottPlot.Colors.SeaGreen,
    };

    /// <summary>Renders both panels into one PNG at <paramref name="path"/>.</summary>
    public static void Save(string path, MemorySettings settings, IReadOnlyList<MemoryResult> results, IReadOnlyList<LearningCurve> curves)
    {
        string task = settings.Task == "adding" ? "adding problem" : "recall the first symbol";
        double chance = results.Count > 0 ? 100 * results[0].ChanceAccuracy : 0;
        int[] lengths = [.. settings.Lengths.Order()];
        var byLength = settings.Models.Select(model =>
        {
            var points = lengths.Select(t => results.FirstOrDefault(r => r.Model == model && r.Length == t)).OfType<MemoryResult>().ToArray();
            return new Series(MemorySettings.Title(model), [.. points.Select(p => (double)p.Length)], [.. points.Select(p => 100 * p.TestAccuracy)],
                Colors[model], Markers: true);
        }).ToList();
        byLength.Add(new Series("chance", [lengths[0], lengths[^1]], [chance, chance], ScottPlot.Colors.Gray));

        int longest = lengths[^1];
        var atLongest = curves.Where(c => c.Length == longest)
            .Select(c => new Series(MemorySettings.Title(c.Model), c.Steps, [.. c.TestAccuracy.Select(a => 100 * a)], Colors[c.Model])).ToList();
        double lastStep = Math.Max(1, curves.Where(c => c.Length == longest && c.Steps.Length > 0).Select(c => c.Steps[^1]).DefaultIfEmpty(1).Max());
        atLongest.Add(new Series("chance", [0, lastStep], [chance, chance], ScottPlot.Colors.Gray));

        SeriesPlot.Save(path,
        [
            new Panel($"{task}: test accuracy after training", "sequence length T", "test accuracy (%)", byLength, (0, 105)),
            new Panel($"{task}: learning curves at T = {longest}", "step", "test accuracy (%)", atLongest, (0, 105)),
        ]);
    }
}
