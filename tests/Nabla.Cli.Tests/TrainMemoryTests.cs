using System.Globalization;
using System.Text.Json;
using Nabla.IO;
using Nabla.Models;

namespace Nabla.Cli.Tests;

/// <summary><c>nabla train memory</c> end to end on tiny configurations, and its command-line errors.</summary>
public sealed class TrainMemoryTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"nabla-memory-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private static CliResult Train(params string[] extra) => CliRunner.Run(["train", "memory", "--threads", "1", .. extra]);

    [Fact]
    public void TrainMemory_FillsTheRunFolderAndPrintsTheTable()
    {
        string run = Path.Combine(folder, "run");
        var r = Train("--lengths", "5,7", "--steps", "30", "--hidden", "8", "--eval-every", "10", "--test-size", "200", "--out", run);

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal("", r.Error);
        Assert.Contains("nabla train memory: recall the first of 8 symbols after T − 1 steps of 8 distractors (one-hot, 16 inputs; chance 12.50%)", r.Out);
        Assert.Contains("  lengths: 5, 7", r.Out);
        Assert.Matches(@"LSTM T=7 +test accuracy \d+\.\d\d%  loss \d+\.\d{4}  (solved at step \d+|not solved in 30 steps)  \d+\.\d s", r.Out);

        // results.csv: a row per (model, length), lengths outer, with real numbers.
        var results = File.ReadAllLines(Path.Combine(run, "results.csv"));
        Assert.Equal("task,model,length,hidden,parameters,steps,solved_at_step,test_loss,test_accuracy,chance_accuracy,seconds,diverged_at_step", results[0]);
        var rows = results.Skip(1).Select(line => line.Split(',')).ToArray();
        Assert.Equal([("rnn", "5"), ("lstm", "5"), ("gru", "5"), ("rnn", "7"), ("lstm", "7"), ("gru", "7")], rows.Select(c => (c[1], c[2])));
        // Parameters: the cell's 4 blocks (gates) of H·(I + H) + 2H, plus the head H·K + K, with I = 16, H = 8, K = 8.
        Assert.Equal(["280", "904", "696"], rows.Take(3).Select(c => c[4]));
        foreach (var c in rows)
        {
            Assert.Equal("recall", c[0]);
            int steps = int.Parse(c[5], CultureInfo.InvariantCulture);
            Assert.InRange(steps, 1, 30);
            Assert.True(c[6].Length == 0 ? steps == 30 : int.Parse(c[6], CultureInfo.InvariantCulture) == steps);
            Assert.InRange(Number(c[7]), 1e-6, 10);       // cross-entropy, finite and positive
            Assert.InRange(Number(c[8]), 0, 1);
            Assert.Equal(0.125, Number(c[9]));
            Assert.Equal("", c[11]);
        }

        // The Markdown table: a header row, the alignment row, a row per model; printed and saved.
        var printed = r.Out.Split('\n').Where(line => line.StartsWith('|')).ToArray();
        Assert.Equal(5, printed.Length);
        Assert.Matches(@"^\| model \| +T = 5 \| +T = 7 \|$", printed[0]);
        Assert.Matches(@"^\| RNN +\| +\d+\.\d\d% \((solved at step \d+|not solved)\) \| +\d+\.\d\d% \((solved at step \d+|not solved)\) \|$", printed[2]);
        Assert.StartsWith("| LSTM", printed[3], StringComparison.Ordinal);
        Assert.StartsWith("| GRU", printed[4], StringComparison.Ordinal);
        Assert.Contains(string.Join('\n', printed), File.ReadAllText(Path.Combine(run, "results.md")));
        string rnnAt5 = (Number(rows[0][8]) * 100).ToString("F2", CultureInfo.InvariantCulture);
        Assert.Contains($"{rnnAt5}%", printed[2]);

        // metrics.csv: a row per evaluation (every 10 steps) of each run.
        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal("model,length,step,train_loss,train_accuracy,test_loss,test_accuracy,seconds", metrics[0]);
        var lstm5 = metrics.Skip(1).Select(line => line.Split(',')).Where(c => c[0] == "lstm" && c[1] == "5").ToArray();
        Assert.Equal(Enumerable.Range(1, lstm5.Length).Select(i => (10 * i).ToString(CultureInfo.InvariantCulture)), lstm5.Select(c => c[2]));
        Assert.All(lstm5, c => Assert.InRange(Number(c[3]), 1e-6, 10));
        Assert.Equal(Number(rows[1][8]), Number(lstm5[^1][6]), 6);

        // A checkpoint per run that rebuilds the model from its metadata.
        var state = Checkpoint.Load(Path.Combine(run, "gru-T7", "model.safetensors"), out var metadata);
        Assert.Equal(("recurrent_classifier", "gru", "16", "8", "8", "recall", "7", "chrono"),
            (metadata["arch"], metadata["cell"], metadata["input_size"], metadata["hidden_size"], metadata["classes"], metadata["task"], metadata["length"], metadata["init"]));
        Assert.Equal([24, 16], state["rnn.weight_ih_l0"].Shape);
        var model = new RecurrentClassifier(RecurrentKind.Gru, 16, 8, 8);
        Checkpoint.LoadInto(Path.Combine(run, "gru-T7", "model.safetensors"), model);
        Assert.Equal(Number(rows[5][8]), double.Parse(metadata["test_accuracy"], CultureInfo.InvariantCulture), 6);

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal("train memory", config.RootElement.GetProperty("command").GetString());
        Assert.Equal(30, config.RootElement.GetProperty("settings").GetProperty("steps").GetInt32());

        RunImages.AssertPng(Path.Combine(run, "accuracy.png"), 1400, 480);
    }

    [Fact]
    public void TrainMemory_GruSolvesRecallAtAShortLength_AndStopsThere()
    {
        string run = Path.Combine(folder, "gru");
        var r = Train("--models", "gru", "--lengths", "5", "--steps", "600", "--hidden", "16", "--lr", "1e-2", "--eval-every", "25", "--out", run);

        Assert.True(r.ExitCode == 0, r.Error);
        var row = File.ReadAllLines(Path.Combine(run, "results.csv"))[1].Split(',');
        Assert.NotEqual("", row[6]);   // solved: test accuracy ≥ 99% at an evaluation
        Assert.Equal(row[5], row[6]);  // and trained no further
        Assert.True(Number(row[8]) >= 0.99, $"test accuracy {row[8]}");
        Assert.Contains($"(solved at step {int.Parse(row[6], CultureInfo.InvariantCulture):N0})", r.Out);
    }

    [Fact]
    public void TrainMemory_AddingTask_ReportsTheMseAndAccuracy()
    {
        string run = Path.Combine(folder, "adding");
        var r = Train("--task", "adding", "--models", "lstm", "--lengths", "6", "--steps", "20", "--hidden", "8", "--eval-every", "10", "--out", run);

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("the adding problem", r.Out);
        Assert.Matches(@"LSTM T=6 +test MSE \d+\.\d{4}  accuracy \d+\.\d\d%", r.Out);
        var row = File.ReadAllLines(Path.Combine(run, "results.csv"))[1].Split(',');
        Assert.Equal(("adding", "lstm", "6"), (row[0], row[1], row[2]));
        Assert.InRange(Number(row[7]), 1e-6, 2);   // MSE of answers to targets in [0, 2)
        Assert.Equal(0.0784, Number(row[9]), 6);
        Assert.Matches(@"\| LSTM +\| +\d+\.\d\d%, MSE \d+\.\d{4} \(", r.Out);
    }

    [Theory]
    [InlineData("--lengths", "1,10", "--lengths got '1,10'; expected distinct sequence lengths of at least 2")]
    [InlineData("--lengths", "10,10", "--lengths got '10,10'; expected distinct sequence lengths of at least 2")]
    [InlineData("--lengths", "ten", "--lengths got 'ten'; expected comma-separated whole numbers")]
    [InlineData("--models", "rnn,transformer", "--models got 'rnn,transformer'; expected distinct names from rnn, lstm, gru")]
    [InlineData("--task", "copy", "--task got 'copy'; expected one of recall, adding")]
    [InlineData("--init", "xavier", "--init got 'xavier'; expected one of chrono, pytorch")]
    [InlineData("--clip", "-1", "--clip got '-1'; expected a number of at least 0")]
    [InlineData("--lr", "0", "--lr got '0'; expected a number greater than 0")]
    [InlineData("--steps", "0", "--steps got '0'; expected a whole number of at least 1")]
    [InlineData("--symbols", "1", "--symbols got '1'; expected a whole number of at least 2")]
    public void TrainMemory_BadValue_Exits2NamingTheOption(string option, string value, string message)
    {
        var r = Train(option, value, "--out", Path.Combine(folder, "bad"));

        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith($"nabla train memory: {message}", r.Error, StringComparison.Ordinal);
        Assert.EndsWith("Run 'nabla help train memory' for usage.", r.Error.TrimEnd(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "bad")));
    }

    [Fact]
    public void TrainMemory_SymbolsWithTheAddingTask_Exits2()
    {
        var r = Train("--task", "adding", "--symbols", "4");

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nabla train memory: option --symbols applies to --task recall, not adding", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpTrainMemory_ListsTheOptionsWithTheirDefaults()
    {
        var r = CliRunner.Run("help", "train", "memory");

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Usage: nabla train memory [--task NAME] [--lengths N,N,...]", r.Out, StringComparison.Ordinal);
        Assert.Contains("(default: 10,25,50,100,200)", r.Out);
        Assert.Contains("--clip X", r.Out);
        Assert.Contains("train memory", CliRunner.Run("--help").Out);
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
