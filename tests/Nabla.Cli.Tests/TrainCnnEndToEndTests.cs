using System.Globalization;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Cli.Tests;

/// <summary><c>nabla train cnn</c> on a generated data set of three classes (three vertical bands), then eval and predict
/// on its checkpoint.</summary>
public sealed class TrainCnnEndToEndTests : IDisposable
{
    private readonly TinyMnist data = new(train: 150, test: 60, classes: 3);

    public void Dispose() => data.Dispose();

    private string RunPath(string name) => Path.Combine(data.Path, name);

    private CliResult Train(string run, params string[] extra) => CliRunner.Run(
        ["train", "cnn", "--epochs", "2", "--batch-size", "15", "--threads", "1", "--out", run, "--data", data.Path, .. extra]);

    private static double Accuracy(CliResult r)
    {
        Assert.Matches(@"^test accuracy: \d{1,3}\.\d{2}%$", r.LastLine);
        return double.Parse(r.LastLine["test accuracy: ".Length..^1], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void TrainCnn_OnThreeClasses_FillsTheRunFolder()
    {
        string run = RunPath("run");
        var r = Train(run);

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal("", r.Error);
        Assert.True(Accuracy(r) >= 90, $"three separable bands should be learned in 20 steps:\n{r.Out}");
        // conv1 320 + conv2 18,496 + fc1 3136·128 + 128 + fc2 128·3 + 3.
        Assert.Contains("nabla train cnn: CNN conv 32-64, fc 128-3 (420,739 parameters)", r.Out);
        Assert.Contains("150 training and 60 test images of 3 classes", r.Out);
        Assert.Contains("training: 2 epochs, batch 15, Adam lr 0.003 (onecycle), seed 0, 1 threads", r.Out);

        // metrics.csv: per epoch, the training loss and accuracy and the test loss and accuracy.
        var rows = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal("epoch,step,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds", rows[0]);
        var epochRows = rows.Skip(1).Select(row => row.Split(',')).Where(c => c[5].Length > 0).ToArray();
        Assert.Equal(2, epochRows.Length);
        Assert.Equal([["1", "10"], ["2", "20"]], epochRows.Select(c => c[..2]));
        foreach (var c in epochRows)
            foreach (int column in new[] { 2, 3, 4, 5 })
                Assert.True(double.Parse(c[column], CultureInfo.InvariantCulture) is >= 0 and <= 5, $"column {column} of '{string.Join(',', c)}'");
        Assert.Equal(Accuracy(r) / 100, double.Parse(epochRows[^1][5], CultureInfo.InvariantCulture), 4);

        // The weights under the PyTorch module's names, and what eval and predict need to rebuild it.
        var state = Checkpoint.Load(Path.Combine(run, "model.safetensors"), out var metadata);
        Assert.Equal(["conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"],
            state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([32, 1, 3, 3], state["conv1.weight"].Shape);
        Assert.Equal([128, 3136], state["fc1.weight"].Shape);
        Assert.Equal([3, 128], state["fc2.weight"].Shape);
        Assert.Equal("cnn", metadata["arch"]);
        Assert.Equal("3", metadata["classes"]);
        Assert.Equal("false", metadata["batch_norm"]);
        Assert.Equal("1,28,28", metadata["input_shape"]);
        Assert.Equal("0.1307", metadata["normalize_mean"]);
        Assert.Equal("0.3081", metadata["normalize_std"]);

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal("train cnn", config.RootElement.GetProperty("command").GetString());
        Assert.Equal("adam", config.RootElement.GetProperty("optimizer").GetString());
        Assert.Equal("cnn", config.RootElement.GetProperty("model").GetProperty("arch").GetString());

        RunImages.AssertPng(Path.Combine(run, "loss.png"), 900, 540);
        RunImages.AssertPng(Path.Combine(run, "curves.png"), 1400, 500);
        RunImages.AssertMisclassifiedGrid(Path.Combine(run, "misclassified.png"), r.Out);
    }

    [Fact]
    public void TrainCnn_BatchNorm_AddsTheNormLayersAndEvalReproducesTheAccuracy()
    {
        string run = RunPath("bn");
        var r = Train(run, "--batch-norm");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("CNN conv 32-64, fc 128-3, batch norm (421,187 parameters)", r.Out);

        var state = Checkpoint.Load(Path.Combine(run, "model.safetensors"), out var metadata);
        Assert.Equal("true", metadata["batch_norm"]);
        foreach (var (bn, channels) in new[] { ("bn1", 32), ("bn2", 64), ("bn3", 128) })
        {
            Assert.Equal([channels], state[$"{bn}.weight"].Shape);
            Assert.Equal([channels], state[$"{bn}.running_var"].Shape);
            Assert.Equal(20L, state[$"{bn}.num_batches_tracked"].Item());   // one per training step
        }

        // Eval rebuilds the batch-norm network in evaluation mode (running statistics) and gets the training run's figure.
        var eval = CliRunner.Run("eval", "--checkpoint", Path.Combine(run, "model.safetensors"), "--data", data.Path, "--batch-size", "7");
        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Equal("nabla eval: CNN conv 32-64, fc 128-3, batch norm from " + Path.Combine(run, "model.safetensors"), eval.Out.Split('\n')[0]);
        Assert.Equal(r.LastLine, eval.LastLine);
    }

    [Fact]
    public void EvalAndPredict_OnTheCnnCheckpoint()
    {
        string run = RunPath("run");
        var trained = Train(run);
        Assert.True(trained.ExitCode == 0, trained.Error);
        string model = Path.Combine(run, "model.safetensors");

        // The training checkpoint holds the same model (plus the optimizer, which eval leaves out).
        foreach (string file in new[] { model, Path.Combine(run, "checkpoint.safetensors") })
        {
            var eval = CliRunner.Run("eval", "--checkpoint", file, "--data", data.Path);
            Assert.True(eval.ExitCode == 0, eval.Error);
            Assert.Equal(trained.LastLine, eval.LastLine);
        }

        // One clean image of each band: predict must name its class.
        string[] images = [.. Enumerable.Range(0, 3).Select(label => WriteBand(label))];
        var r = CliRunner.Run(["predict", "--checkpoint", model, .. images]);
        Assert.True(r.ExitCode == 0, r.Error);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"nabla predict: CNN conv 32-64, fc 128-3 from {model}", lines[0]);
        for (int label = 0; label < 3; label++)
            Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(images[label])}: {label} \(\d+\.\d\d%\)  top 3: {label} \d+\.\d\d%, \d \d+\.\d\d%, \d \d+\.\d\d%$", lines[label + 1]);
    }

    [Fact]
    public void Predict_CnnSavedWithoutMetadata_IsRecognizedByItsLayerNames()
    {
        string run = RunPath("run");
        Assert.Equal(0, Train(run).ExitCode);
        // As safetensors.torch.save_file(model.state_dict(), path) writes the PyTorch module: tensors only.
        string bare = Path.Combine(data.Path, "bare.safetensors");
        Checkpoint.Save(bare, Checkpoint.Load(Path.Combine(run, "model.safetensors")));
        string image = WriteBand(1);

        var expected = CliRunner.Run("predict", "--checkpoint", Path.Combine(run, "model.safetensors"), image);
        var r = CliRunner.Run("predict", "--checkpoint", bare, image);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(expected.LastLine, r.LastLine);
    }

    [Theory]
    [InlineData("sgd", "step", "SGD lr 0.05 momentum 0.9 (step)")]
    [InlineData("rmsprop", "onecycle", "RMSprop lr 0.001 momentum 0 (onecycle)")]
    [InlineData("adamw", "constant", "AdamW lr 0.001 weight decay 0.01 (constant)")]
    public void Optimizers_TrainAndAreRecordedInConfig(string optimizer, string schedule, string described)
    {
        string run = RunPath(optimizer);
        string lr = optimizer == "sgd" ? "0.05" : "0.001";
        var r = Train(run, "--optimizer", optimizer, "--schedule", schedule, "--lr", lr);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains($"training: 2 epochs, batch 15, {described}, seed 0", r.Out);
        Assert.True(Accuracy(r) >= 60, $"{optimizer} should learn three separable bands in 20 steps:\n{r.Out}");

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal(optimizer, config.RootElement.GetProperty("optimizer").GetString());
        Assert.Equal(schedule, config.RootElement.GetProperty("schedule").GetString());
        Assert.Equal(optimizer == "sgd" ? 0.9 : 0, config.RootElement.GetProperty("momentum").GetDouble());
        Assert.Equal(optimizer == "adamw" ? 0.01 : 0, config.RootElement.GetProperty("weight_decay").GetDouble());
        var metadata = TrainingCheckpoint.Read(Path.Combine(run, "checkpoint.safetensors"));
        Assert.Equal(optimizer switch { "sgd" => "Sgd", "rmsprop" => "RmsProp", _ => "Adam" }, metadata.OptimizerType);
    }

    [Fact]
    public void Augment_TrainsAndIsRecorded()
    {
        string run = RunPath("augment");
        var r = Train(run, "--augment", "--seed", "5");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("(onecycle), augmented, seed 5", r.Out);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.True(config.RootElement.GetProperty("augment").GetBoolean());
    }

    [Fact]
    public void StoppedAndResumed_EndsBitIdenticalToAnUninterruptedRun()
    {
        string whole = RunPath("whole"), parts = RunPath("parts");
        Assert.Equal(0, Train(whole, "--batch-norm", "--augment").ExitCode);
        var stopped = Train(parts, "--batch-norm", "--augment", "--checkpoint-every", "4", "--stop-after-steps", "14");
        Assert.True(stopped.ExitCode == 0, stopped.Error);
        Assert.Contains("continue with: nabla train cnn --resume " + parts, stopped.Out);

        var resumed = CliRunner.Run("train", "cnn", "--resume", parts, "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resuming from checkpoint.safetensors: step 12, epoch 2 after batch 2 of 10", resumed.Out);

        var a = Checkpoint.Load(Path.Combine(whole, "model.safetensors"));
        var b = Checkpoint.Load(Path.Combine(parts, "model.safetensors"));
        foreach (var (key, t) in a)
            Assert.True(t.AllClose(b[key], rtol: 0, atol: 0), $"'{key}' differs");
        static string[] Rows(string run) => [.. File.ReadAllLines(Path.Combine(run, "metrics.csv")).Select(l => string.Join(',', l.Split(',')[..7]))];
        Assert.Equal(Rows(whole), Rows(parts));
    }

    [Fact]
    public void TestLabelAboveEveryTrainingLabel_Exits1()
    {
        using var odd = new TinyMnist(train: 30, test: 30, classes: 3);
        // Keep the training labels at 0 and 1 only: rewrite them so class 2 never appears in training.
        byte[] labels = [.. Enumerable.Range(0, 30).Select(i => (byte)(i % 2))];
        Idx.WriteUBytes(Path.Combine(odd.Path, Nabla.Data.Mnist.TrainLabelsFile), [30], labels);
        var r = CliRunner.Run("train", "cnn", "--epochs", "1", "--data", odd.Path, "--out", Path.Combine(odd.Path, "run"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal([$"nabla train cnn: error: test label 2 (test image 2) in {odd.Path} is above every training label (0–1); the model cannot learn a class it never sees in training"], r.ErrorLines);
    }

    [Theory]
    [InlineData("--momentum", "0.5", "option --momentum applies to sgd and rmsprop, not adam; Adam's momentum is its beta1 (0.9)")]
    [InlineData("--batch-norm=yes", null, "--batch-norm got 'yes'; expected no value, or true or false")]
    [InlineData("--optimizer", "lbfgs", "--optimizer got 'lbfgs'; expected one of adam, adamw, sgd, rmsprop")]
    [InlineData("--schedule", "linear", "--schedule got 'linear'; expected one of cosine, constant, step, onecycle")]
    [InlineData("--momentum=-0.1", null, "--momentum got '-0.1'; expected a number of at least 0, such as 0.9 or 5e-4")]
    [InlineData("--hidden", "64", "unknown option '--hidden'; expected one of --epochs")]
    public void BadOption_Exits2(string option, string? value, string message)
    {
        string[] args = value is null ? ["train", "cnn", option] : ["train", "cnn", option, value];
        if (option.StartsWith("--momentum=", StringComparison.Ordinal)) args = [.. args, "--optimizer", "sgd"];
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith($"nabla train cnn: {message}", r.Error, StringComparison.Ordinal);
        Assert.EndsWith("Run 'nabla help train cnn' for usage.", r.Error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheCnnOptionsAndDefaults()
    {
        var r = CliRunner.Run("help", "train", "cnn");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Usage: nabla train cnn [--epochs N] [--batch-size N] [--lr X] [--schedule NAME] [--optimizer NAME]", r.Out, StringComparison.Ordinal);
        Assert.Contains("[--augment]", r.Out);
        Assert.Contains("[--batch-norm]", r.Out);
        Assert.Contains("passes over the training set (default: 4)", r.Out);
        Assert.Contains("samples per optimizer step (default: 64)", r.Out);
        Assert.Contains("(the peak rate under onecycle) (default: 3e-3)", r.Out);
        Assert.Contains("then cosine decay) (default: onecycle)", r.Out);
    }

    /// <summary>A clean 28×28 gray PNG of class <paramref name="label"/>'s band, as TinyMnist draws it without jitter.</summary>
    private string WriteBand(int label)
    {
        var pixels = new byte[TinyMnist.Side * TinyMnist.Side];
        for (int r = 0; r < TinyMnist.Side; r++)
            for (int c = 0; c < TinyMnist.Side; c++)
                pixels[r * TinyMnist.Side + c] = (byte)(TinyMnist.Inked(label, c, 3) ? 230 : 15);
        string path = Path.Combine(data.Path, $"band{label}.png");
        Png.Write(path, new PngImage(TinyMnist.Side, TinyMnist.Side, 1, pixels));
        return path;
    }
}
