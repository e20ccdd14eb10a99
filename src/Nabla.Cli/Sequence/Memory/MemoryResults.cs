using System.Globalization;
using System.Text;
using Nabla.Models.Tasks;

namespace Nabla.Cli.Sequence.Memory;

/// <summary>The comparison a <c>nabla train memory</c> run ends with: results.csv, one row per (model, length), and a
/// Markdown table of model × length.</summary>
internal static class MemoryResults
{
    /// <summary>The header of results.csv.</summary>
    public const string Header = "task,model,length,hidden,parameters,steps,solved_at_step,test_loss,test_accuracy,chance_accuracy,seconds,diverged_at_step";

    /// <summary>Writes results.csv; a run never solved leaves solved_at_step empty.</summary>
    public static void WriteCsv(string path, MemorySettings settings, IEnumerable<MemoryResult> results)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in results)
            text.Append(CultureInfo.InvariantCulture,
                $"{settings.Task},{r.Model},{r.Length},{settings.Hidden},{r.Parameters},{r.Steps},{r.SolvedAtStep},{r.TestLoss:G6},{r.TestAccuracy:G6},{r.ChanceAccuracy:G6},{r.Seconds:F2},{r.DivergedAtStep}\n");
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>What the table shows and what "solved" means, one line.</summary>
    public static string Caption(MemorySettings settings, MemoryTask task) => task switch
    {
        RecallTask recall => Invariant($"Recall the first of {recall.Symbols} symbols after T − 1 distractors: test accuracy (chance {recall.ChanceAccuracy * 100:F2}%) and the step at which it was solved (test accuracy ≥ {RecallTask.SolvedAccuracy * 100:F0}%), at most {settings.Steps:N0} steps of {settings.BatchSize} sequences, hidden {settings.Hidden}."),
        _ => Invariant($"The adding problem: test accuracy (|error| < {AddingTask.Tolerance}; chance {task.ChanceAccuracy * 100:F2}%), test MSE (always answering 1: 0.167) and the step at which it was solved (test MSE < {AddingTask.SolvedMse}), at most {settings.Steps:N0} steps of {settings.BatchSize} sequences, hidden {settings.Hidden}."),
    };

    /// <summary>The Markdown table: a row per model, a column per length, each cell the test accuracy and when the task
    /// was solved.</summary>
    public static string Markdown(MemorySettings settings, IReadOnlyList<MemoryResult> results)
    {
        string[] header = ["model", .. settings.Lengths.Select(t => Invariant($"T = {t}"))];
        var rows = settings.Models.Select(model => (string[])[MemorySettings.Title(model),
            .. settings.Lengths.Select(t => results.FirstOrDefault(r => r.Model == model && r.Length == t) is { } r ? Cell(settings, r) : "")]).ToList();
        int[] widths = [.. header.Select((h, c) => Math.Max(h.Length, rows.Max(row => row[c].Length)))];
        var text = new StringBuilder();
        text.Append(Line(header, widths));
        text.Append(Line([.. widths.Select((w, c) => c == 0 ? ":" + new string('-', w - 1) : new string('-', w - 1) + ":")], widths));
        foreach (var row in rows) text.Append(Line(row, widths));
        return text.ToString();
    }

    private static string Cell(MemorySettings settings, MemoryResult r)
    {
        string accuracy = settings.Task == "adding" ? Invariant($"{r.TestAccuracy * 100:F2}%, MSE {r.TestLoss:F4}") : Invariant($"{r.TestAccuracy * 100:F2}%");
        string when = r.DivergedAtStep is int d ? Invariant($"diverged at step {d:N0}")
            : r.SolvedAtStep is int s ? Invariant($"solved at step {s:N0}") : "not solved";
        return $"{accuracy} ({when})";
    }

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |\n";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
