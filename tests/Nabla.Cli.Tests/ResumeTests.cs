using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.IO;

namespace Nabla.Cli.Tests;

/// <summary><c>--checkpoint-every</c> and <c>--resume</c>: a run stopped at any step and resumed ends with the very
/// weights and metrics of a run that never stopped; a missing or corrupt checkpoint is refused in one line.</summary>
/// <remarks>200 training images in batches of 20: 10 steps per epoch. <c>--stop-after-steps</c> stops a run as a kill
/// would, right after that step (and after any checkpoint due at it), leaving the rows it logged since its last checkpoint.</remarks>
public sealed class ResumeTests : IDisposable
{
    private readonly TinyMnist data = new(train: 200, test: 100);

    public void Dispose() => data.Dispose();

    private string RunPath(string name) => Path.Combine(data.Path, name);

    private CliResult Train(string run, params string[] extra) => CliRunner.Run(
        ["train", "mlp", "--epochs", "2", "--batch-size", "20", "--hidden", "16", "--threads", "1", "--seed", "5",
            "--out", run, "--data", data.Path, .. extra]);

    private static CliResult Resume(string run, params string[] extra) => CliRunner.Run(["train", "mlp", "--resume", run, .. extra]);

    private static void AssertOk(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal("", r.Error);
    }

    private static void AssertSameTensors(string expectedFile, string actualFile)
    {
        var expected = Checkpoint.Load(expectedFile);
        var actual = Checkpoint.Load(actualFile);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, t) in expected)
            Assert.True(t.AllClose(actual[key], rtol: 0, atol: 0), $"'{key}' differs between {expectedFile} and {actualFile}");
    }

    /// <summary>metrics.csv without the wall-clock column.</summary>
    private static string[] Metrics(string run) =>
        [.. File.ReadAllLines(Path.Combine(run, "metrics.csv")).Select(line => string.Join(',', line.Split(',')[..7]))];

    [Fact]
    public void ResumedFromAnEpochEndCheckpoint_EndsBitIdenticalToAnUninterruptedRun()
    {
        string whole = RunPath("whole"), parts = RunPath("parts");
        var uninterrupted = Train(whole, "--checkpoint-every", "0");
        AssertOk(uninterrupted);

        var stopped = Train(parts, "--checkpoint-every", "0", "--stop-after-steps", "10");
        AssertOk(stopped);
        Assert.Contains($"stopped after step 10 (--stop-after-steps); continue with: nabla train mlp --resume {parts}", stopped.Out);
        Assert.False(File.Exists(Path.Combine(parts, "loss.png")));
        var position = TrainingCheckpoint.Read(Path.Combine(parts, "checkpoint.safetensors")).Position;
        Assert.Equal(new TrainingPosition(Epoch: 1, Batch: 0, Step: 10), position);

        var resumed = Resume(parts);
        AssertOk(resumed);
        Assert.Contains("  resuming from checkpoint.safetensors: step 10, end of epoch 1", resumed.Out);
        Assert.Contains("epoch 2/2  train loss ", resumed.Out);
        Assert.DoesNotContain("epoch 1/2", resumed.Out);
        Assert.Equal(uninterrupted.LastLine, resumed.LastLine);

        AssertSameTensors(Path.Combine(whole, "model.safetensors"), Path.Combine(parts, "model.safetensors"));
        AssertSameTensors(Path.Combine(whole, "checkpoint.safetensors"), Path.Combine(parts, "checkpoint.safetensors"));
        Assert.Equal(Metrics(whole), Metrics(parts));
        Assert.True(File.Exists(Path.Combine(parts, "loss.png")));
    }

    [Fact]
    public void KilledMidEpoch_LosesOnlyTheStepsAfterTheLastCheckpoint_AndEndsBitIdentical()
    {
        string whole = RunPath("whole"), parts = RunPath("parts");
        AssertOk(Train(whole, "--checkpoint-every", "3"));

        // Checkpoints at steps 3, 6, 9, 10 (epoch end) and 12; the "kill" comes after step 14, whose metrics rows for 13
        // and 14 are written but must not appear twice.
        AssertOk(Train(parts, "--checkpoint-every", "3", "--stop-after-steps", "14"));
        Assert.Equal(new TrainingPosition(Epoch: 1, Batch: 2, Step: 12), TrainingCheckpoint.Read(Path.Combine(parts, "checkpoint.safetensors")).Position);
        Assert.StartsWith("2,14,", Metrics(parts)[^1], StringComparison.Ordinal);

        var resumed = Resume(parts);
        AssertOk(resumed);
        Assert.Contains("  resuming from checkpoint.safetensors: step 12, epoch 2 after batch 2 of 10", resumed.Out);

        AssertSameTensors(Path.Combine(whole, "model.safetensors"), Path.Combine(parts, "model.safetensors"));
        AssertSameTensors(Path.Combine(whole, "checkpoint.safetensors"), Path.Combine(parts, "checkpoint.safetensors"));
        // Rows 13 and 14 are written once, and epoch 2's mean loss includes the two steps trained before the checkpoint.
        Assert.Equal(Metrics(whole), Metrics(parts));
    }

    [Fact]
    public void ResumedTwice_StillEndsBitIdentical()
    {
        string whole = RunPath("whole"), parts = RunPath("parts");
        AssertOk(Train(whole, "--checkpoint-every", "4"));
        AssertOk(Train(parts, "--checkpoint-every", "4", "--stop-after-steps", "6"));
        AssertOk(Resume(parts, "--stop-after-steps", "17"));
        Assert.Equal(16, TrainingCheckpoint.Read(Path.Combine(parts, "checkpoint.safetensors")).Position.Step);
        AssertOk(Resume(parts));
        AssertSameTensors(Path.Combine(whole, "model.safetensors"), Path.Combine(parts, "model.safetensors"));
        Assert.Equal(Metrics(whole), Metrics(parts));
    }

    [Fact]
    public void Checkpoint_HoldsTheModelUnderItsOwnNamesAndTheOptimizerUnderItsPrefix()
    {
        string run = RunPath("run");
        AssertOk(Train(run));
        var tensors = Checkpoint.Load(Path.Combine(run, "checkpoint.safetensors"), out var metadata);
        Assert.Equal(["1.bias", "1.weight", "3.bias", "3.weight"], tensors.Keys.Where(k => !k.StartsWith("optimizer.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal([16, 784], tensors["optimizer.state.0.exp_avg"].Shape);
        Assert.Equal(20, tensors["optimizer.state.3.step"].Item());
        Assert.Equal("2", metadata["epoch"]);
        Assert.Equal("0", metadata["batch"]);
        Assert.Equal("CosineAnnealingLr", metadata["scheduler"]);
        Assert.Equal("20", metadata["scheduler.last_epoch"]);
        Assert.Equal("784,16,2", metadata["layers"]);
        using var config = JsonDocument.Parse(metadata["config"]);
        Assert.Equal(5, config.RootElement.GetProperty("seed").GetInt64());

        // nabla eval reads the training checkpoint as it reads the model file.
        var fromModel = CliRunner.Run("eval", "--checkpoint", Path.Combine(run, "model.safetensors"), "--data", data.Path);
        var fromCheckpoint = CliRunner.Run("eval", "--checkpoint", Path.Combine(run, "checkpoint.safetensors"), "--data", data.Path);
        Assert.True(fromCheckpoint.ExitCode == 0, fromCheckpoint.Error);
        Assert.Equal(fromModel.LastLine, fromCheckpoint.LastLine);
    }

    [Fact]
    public void ResumingACompletedRun_ReportsItsAccuracyAndChangesNothing()
    {
        string run = RunPath("run");
        var trained = Train(run);
        AssertOk(trained);
        byte[] model = File.ReadAllBytes(Path.Combine(run, "model.safetensors"));
        string[] metrics = File.ReadAllLines(Path.Combine(run, "metrics.csv"));

        var r = Resume(run);
        AssertOk(r);
        Assert.Contains("is already complete: 2 of 2 epochs", r.Out);
        Assert.Equal(trained.LastLine, r.LastLine);
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(run, "model.safetensors")));
        Assert.Equal(metrics, File.ReadAllLines(Path.Combine(run, "metrics.csv")));
    }

    [Fact]
    public void ResumeWithoutACheckpoint_Exits1WithOneLine()
    {
        string run = RunPath("run");
        AssertOk(Train(run, "--checkpoint-every", "0", "--stop-after-steps", "2"));
        var r = Resume(run);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal([$"nabla train mlp: error: cannot resume {run}: it has no checkpoint.safetensors (the run stopped before its first checkpoint); start it again without --resume"], r.ErrorLines);
    }

    [Theory]
    [InlineData("truncated", "safetensors: ")]
    [InlineData("flipped data byte", "do not match its checksum")]
    [InlineData("model file", "it is not a training checkpoint")]
    public void ResumeFromACorruptCheckpoint_Exits1WithOneLine_AndTouchesNothing(string damage, string message)
    {
        string run = RunPath("run");
        AssertOk(Train(run, "--checkpoint-every", "3", "--stop-after-steps", "7"));
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        byte[] bytes = File.ReadAllBytes(checkpoint);
        switch (damage)
        {
            case "truncated": File.WriteAllBytes(checkpoint, bytes[..(bytes.Length / 2)]); break;
            case "flipped data byte": bytes[^5] ^= 0x40; File.WriteAllBytes(checkpoint, bytes); break;
            default: Checkpoint.Save(checkpoint, Checkpoint.LoadModel(checkpoint, out _)); break;   // weights alone, as model.safetensors
        }
        string[] metrics = File.ReadAllLines(Path.Combine(run, "metrics.csv"));

        var r = Resume(run);
        Assert.Equal(1, r.ExitCode);
        string line = Assert.Single(r.ErrorLines);
        Assert.StartsWith($"nabla train mlp: error: cannot resume {run}: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.Contains(checkpoint, line, StringComparison.Ordinal);
        Assert.Equal(metrics, File.ReadAllLines(Path.Combine(run, "metrics.csv")));
    }

    [Fact]
    public void ResumeWithAnEditedConfig_IsRefused()
    {
        string run = RunPath("run");
        AssertOk(Train(run, "--checkpoint-every", "3", "--stop-after-steps", "4"));
        string path = Path.Combine(run, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["learning_rate"] = 0.5;
        File.WriteAllText(path, config.ToJsonString());

        var r = Resume(run);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("config.json does not match the configuration saved in", Assert.Single(r.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("(learning_rate: 0.5 and 0.001)", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeWithAnOptionTheRunFixes_Exits2()
    {
        var r = Resume(data.Path, "--lr", "0.1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["nabla train mlp: option --lr cannot be combined with --resume: the run's config.json fixes it. Run 'nabla help train mlp' for usage."], r.ErrorLines);
    }

    [Fact]
    public void ResumeOfAFolderThatIsNotARun_Exits2()
    {
        var r = Resume(data.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal([$"nabla train mlp: --resume got '{data.Path}'; expected a run folder written by nabla train, holding config.json and checkpoint.safetensors. Run 'nabla help train mlp' for usage."], r.ErrorLines);
    }

    [Fact]
    public void Help_DocumentsCheckpointEveryAndResume_ButNotTheTestingOption()
    {
        var r = CliRunner.Run("help", "train", "mlp");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("[--checkpoint-every N]", r.Out);
        Assert.Contains("[--resume RUN_DIR]", r.Out);
        Assert.Contains("(default: 200)", r.Out);
        Assert.DoesNotContain("--stop-after-steps", r.Out);

        var unknown = CliRunner.Run("train", "mlp", "--bogus", "1");
        Assert.DoesNotContain("--stop-after-steps", unknown.Error);
        Assert.Contains("--resume", unknown.Error);
    }
}
