using System.Globalization;
using System.Text.Json;
using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Cli.Tests;

public sealed class TrainMlpEndToEndTests : IDisposable
{
    private readonly TinyMnist data = new(train: 200, test: 100);

    public void Dispose() => data.Dispose();

    private CliResult Train(string run, params string[] extra) => CliRunner.Run(
        ["train", "mlp", "--epochs", "1", "--batch-size", "20", "--hidden", "32", "--threads", "1", "--out", run, "--data", data.Path, .. extra]);

    [Fact]
    public void TrainMlp_FillsTheRunFolderAndEndsWithTheAccuracyLine()
    {
        string run = Path.Combine(data.Path, "run");
        var r = Train(run);

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal("", r.Error);
        Assert.Matches(@"^test accuracy: \d{1,3}\.\d{2}%$", r.LastLine);
        double accuracy = double.Parse(r.LastLine["test accuracy: ".Length..^1], CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 90, $"two separable patterns should be learned in 10 steps, got {accuracy}%");
        Assert.Contains("nabla train mlp: MLP 784-32-2 (25,186 parameters)", r.Out);   // two classes, from the labels
        Assert.Contains("epoch 1/1  train loss ", r.Out);

        // metrics.csv: header, a loss row per step (10 steps, one every step), and one epoch row with the accuracy and test columns.
        var rows = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal("epoch,step,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds", rows[0]);
        var cells = rows.Skip(1).Select(row => row.Split(',')).ToArray();
        Assert.All(cells, c => Assert.Equal(8, c.Length));
        var epochRows = cells.Where(c => c[5].Length > 0).ToArray();
        var stepRows = cells.Where(c => c[5].Length == 0).ToArray();
        Assert.Single(epochRows);
        Assert.Equal(["1", "10"], epochRows[0][..2]);
        Assert.Equal(accuracy / 100, double.Parse(epochRows[0][5], CultureInfo.InvariantCulture), 4);
        double trainAccuracy = double.Parse(epochRows[0][3], CultureInfo.InvariantCulture);
        Assert.InRange(trainAccuracy, 0.5, 1.0);   // counted on the batches as it learned: above chance, at most all
        Assert.Contains($"train accuracy {trainAccuracy * 100:F2}%", r.Out);
        Assert.Equal(10, stepRows.Length);
        Assert.All(stepRows, c => Assert.True(double.Parse(c[2], CultureInfo.InvariantCulture) > 0));

        // model.safetensors: PyTorch's Sequential names and shapes, and the architecture in the metadata.
        var state = Checkpoint.Load(Path.Combine(run, "model.safetensors"), out var metadata);
        Assert.Equal(["1.bias", "1.weight", "3.bias", "3.weight"], state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([32, 784], state["1.weight"].Shape);
        Assert.Equal([2, 32], state["3.weight"].Shape);
        Assert.Equal("mlp", metadata["arch"]);
        Assert.Equal("784,32,2", metadata["layers"]);

        // config.json records the run.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal("train mlp", config.RootElement.GetProperty("command").GetString());
        Assert.Equal(1, config.RootElement.GetProperty("epochs").GetInt32());
        Assert.Equal(20, config.RootElement.GetProperty("batch_size").GetInt32());
        Assert.Equal(200, config.RootElement.GetProperty("train_samples").GetInt32());
        Assert.Equal("784,32,2", config.RootElement.GetProperty("model").GetProperty("layers").GetString());

        // loss.png, curves.png and misclassified.png: real PNGs, not empty canvases.
        RunImages.AssertPng(Path.Combine(run, "loss.png"), 900, 540);
        RunImages.AssertPng(Path.Combine(run, "curves.png"), 1400, 500);
        RunImages.AssertMisclassifiedGrid(Path.Combine(run, "misclassified.png"), r.Out);
    }

    [Fact]
    public void Eval_OnTheTrainedCheckpoint_ReportsTheSameAccuracy()
    {
        string run = Path.Combine(data.Path, "run");
        var trained = Train(run);
        Assert.True(trained.ExitCode == 0, trained.Error);

        var r = CliRunner.Run("eval", "--checkpoint", Path.Combine(run, "model.safetensors"), "--data", data.Path, "--batch-size", "7");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(trained.LastLine, r.LastLine);
        Assert.Contains("nabla eval: MLP 784-32-2 from ", r.Out);
    }

    [Fact]
    public void Eval_InfersAnMlpFromWeightShapesWithoutMetadata()
    {
        string run = Path.Combine(data.Path, "run");
        var trained = Train(run);
        Assert.True(trained.ExitCode == 0, trained.Error);

        // As PyTorch saves nn.Sequential(nn.Linear, nn.ReLU, nn.Linear) without a Flatten: keys 0.* and 2.*, no metadata.
        var state = Checkpoint.Load(Path.Combine(run, "model.safetensors"));
        string bare = Path.Combine(data.Path, "bare.safetensors");
        Checkpoint.Save(bare, new Dictionary<string, Tensor>
        {
            ["0.weight"] = state["1.weight"], ["0.bias"] = state["1.bias"], ["2.weight"] = state["3.weight"], ["2.bias"] = state["3.bias"],
        });

        var r = CliRunner.Run("eval", "--checkpoint", bare, "--data", data.Path);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(trained.LastLine, r.LastLine);
    }

    [Fact]
    public void SameSeed_ReproducesTheModelExactly()
    {
        string first = Path.Combine(data.Path, "a"), second = Path.Combine(data.Path, "b"), other = Path.Combine(data.Path, "c");
        Assert.Equal(0, Train(first, "--seed", "3").ExitCode);
        Assert.Equal(0, Train(second, "--seed", "3").ExitCode);
        Assert.Equal(0, Train(other, "--seed", "4").ExitCode);

        var a = Checkpoint.Load(Path.Combine(first, "model.safetensors"));
        var b = Checkpoint.Load(Path.Combine(second, "model.safetensors"));
        var c = Checkpoint.Load(Path.Combine(other, "model.safetensors"));
        Assert.True(a["1.weight"].AllClose(b["1.weight"], rtol: 0, atol: 0));
        Assert.False(a["1.weight"].AllClose(c["1.weight"]));
    }

    [Theory]
    [InlineData("cosine")]
    [InlineData("constant")]
    [InlineData("step")]
    [InlineData("onecycle")]
    public void Schedule_SetsTheLearningRateOfEachStep(string schedule)
    {
        string run = Path.Combine(data.Path, schedule);
        var r = CliRunner.Run("train", "mlp", "--epochs", "2", "--batch-size", "20", "--hidden", "8", "--schedule", schedule,
            "--out", run, "--data", data.Path);
        Assert.True(r.ExitCode == 0, r.Error);

        // 2 epochs × 10 steps; each row records the rate of its last step t (0-based).
        var rows = File.ReadAllLines(Path.Combine(run, "metrics.csv")).Skip(1).Select(r => r.Split(',')).ToArray();
        Assert.Equal(22, rows.Length);
        foreach (var row in rows)
        {
            int t = int.Parse(row[1], CultureInfo.InvariantCulture) - 1;
            Assert.Equal(ExpectedRate(schedule, t), double.Parse(row[6], CultureInfo.InvariantCulture), 1e-8);
        }
    }

    // η_t over T = 20 steps of 10 per epoch, η₀ = 1e-3, as PyTorch's CosineAnnealingLR, StepLR(10, 0.7) and OneCycleLR
    // (pct_start 0.3, div_factor 25, final_div_factor 1e4, cosine annealing) define them.
    private static double ExpectedRate(string schedule, int t)
    {
        const double Lr = 1e-3;
        static double Cos(double start, double end, double pct) => end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1);
        double initial = Lr / 25, final = initial / 1e4, warmEnd = 0.3 * 20 - 1;
        return schedule switch
        {
            "cosine" => Lr * (1 + Math.Cos(Math.PI * t / 20)) / 2,
            "step" => Lr * Math.Pow(0.7, t / 10),
            "onecycle" => t <= warmEnd ? Cos(initial, Lr, t / warmEnd) : Cos(Lr, final, (t - warmEnd) / (19 - warmEnd)),
            _ => Lr,
        };
    }

    [Fact]
    public void DataFolderWithoutMnistFiles_Exits1NamingTheMissingFile()
    {
        string empty = Path.Combine(data.Path, "empty");
        Directory.CreateDirectory(empty);
        var r = CliRunner.Run("train", "mlp", "--epochs", "1", "--data", empty, "--out", Path.Combine(data.Path, "run"));
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith($"nabla train mlp: error: mnist: '{empty}' has neither train-images-idx3-ubyte nor train-images-idx3-ubyte.gz.", r.Error, StringComparison.Ordinal);
    }
}
