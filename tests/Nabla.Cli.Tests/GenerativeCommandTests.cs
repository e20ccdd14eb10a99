using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.IO;

namespace Nabla.Cli.Tests;

/// <summary><c>nabla train vae</c>, <c>train gan</c>, <c>sample vae|gan</c> and <c>evaluate-generator</c> end to end on a
/// tiny generated data set (bands of ink, 28×28), a few steps each; and their argument errors.</summary>
public sealed partial class GenerativeCommandTests : IDisposable
{
    private readonly TinyMnist data = new(train: 64, test: 32, classes: 2);

    public void Dispose() => data.Dispose();

    private string RunPath(string name) => Path.Combine(data.Path, name);

    private CliResult TrainVae(string run, params string[] extra) => CliRunner.Run(
        ["train", "vae", "--epochs", "2", "--batch-size", "16", "--latent", "2", "--hidden", "16", "--threads", "1", "--out", run, "--data", data.Path, .. extra]);

    private CliResult TrainGan(string run, params string[] extra) => CliRunner.Run(
        ["train", "gan", "--epochs", "2", "--batch-size", "16", "--latent", "8", "--threads", "1", "--out", run, "--data", data.Path, .. extra]);

    private static void AssertOk(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
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

    // ImageGrid: 4-pixel margins, 2-pixel gaps, a 26-pixel title band; 28-pixel images scaled by 2 unless said.
    private static (int Width, int Height) Grid(int images, int columns, int scale = 2, int gap = 2)
    {
        int rows = (images + columns - 1) / columns, cols = Math.Min(images, columns), side = 28 * scale;
        return (8 + cols * side + (cols - 1) * gap, 26 + 8 + rows * side + (rows - 1) * gap);
    }

    private static void AssertGrid(string path, (int Width, int Height) size) => RunImages.AssertPng(path, size.Width, size.Height);

    [Fact]
    public void TrainVae_FillsTheRunFolder_AndSampleVaeDrawsTheLatentPlane()
    {
        string run = RunPath("vae");
        var r = TrainVae(run);
        AssertOk(r);
        // fc1 784·16 + 16, fc21 and fc22 16·2 + 2 each, fc3 2·16 + 16, fc4 16·784 + 784.
        Assert.Contains("nabla train vae: MLP VAE 784-16-2 (26,004 parameters)", r.Out);
        Assert.Contains("64 training and 32 test images (1×28×28, pixels in [0, 1])", r.Out);
        Assert.Contains("training: 2 epochs, batch 16, Adam lr 0.001, loss = BCE summed over pixels + 1·KL, seed 0, 1 threads", r.Out);
        var last = LastElbo().Match(r.LastLine);
        Assert.True(last.Success, r.Out);
        double elbo = double.Parse(last.Groups[1].Value, CultureInfo.InvariantCulture);
        double reconstruction = double.Parse(last.Groups[2].Value, CultureInfo.InvariantCulture);
        double kl = double.Parse(last.Groups[3].Value, CultureInfo.InvariantCulture);
        Assert.Equal(reconstruction + kl, elbo, 0.011);
        Assert.InRange(elbo, 100, 600);   // 784 pixels: ln 2 each for a coin flip is 543 nats

        // metrics.csv: a row every few steps, and one per epoch with the test set's terms.
        var rows = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal("epoch,step,train_loss,train_reconstruction,train_kl,test_loss,test_reconstruction,test_kl,seconds", rows[0]);
        var epochRows = rows.Skip(1).Select(row => row.Split(',')).Where(c => c[5].Length > 0).ToArray();
        Assert.Equal([["1", "4"], ["2", "8"]], epochRows.Select(c => c[..2]));
        Assert.Equal(elbo, double.Parse(epochRows[^1][5], CultureInfo.InvariantCulture), 0.006);
        Assert.True(double.Parse(epochRows[1][2], CultureInfo.InvariantCulture) < double.Parse(epochRows[0][2], CultureInfo.InvariantCulture),
            "the training loss falls from epoch 1 to 2");

        var state = Checkpoint.Load(Path.Combine(run, "model.safetensors"), out var metadata);
        Assert.Equal(["fc1.bias", "fc1.weight", "fc21.bias", "fc21.weight", "fc22.bias", "fc22.weight", "fc3.bias", "fc3.weight", "fc4.bias", "fc4.weight"],
            state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("vae", metadata["arch"]);
        Assert.Equal("mlp", metadata["vae_arch"]);
        Assert.Equal("2", metadata["latent"]);
        Assert.Equal("16", metadata["hidden"]);
        Assert.Equal("1,28,28", metadata["input_shape"]);
        AssertGrid(Path.Combine(run, "samples.png"), Grid(64, 8));
        AssertGrid(Path.Combine(run, "reconstructions.png"), Grid(64, 8));   // 32 test images over their 32 reconstructions
        RunImages.AssertPng(Path.Combine(run, "loss.png"), 1400, 480);

        string samples = RunPath("vae-samples");
        var s = CliRunner.Run("sample", "vae", "--checkpoint", Path.Combine(run, "model.safetensors"), "--out", samples, "--data", data.Path,
            "--count", "16", "--steps", "6", "--threads", "1");
        AssertOk(s);
        Assert.Equal($"wrote {samples}: samples.png, interpolation.png, manifold.png, latent-scatter.png", s.LastLine);
        AssertGrid(Path.Combine(samples, "samples.png"), Grid(16, 4));
        AssertGrid(Path.Combine(samples, "interpolation.png"), Grid(8 * 8, 8));   // 8 rows: a digit, 6 decoded steps, a digit
        AssertGrid(Path.Combine(samples, "manifold.png"), Grid(400, 20, scale: 1, gap: 0));
        RunImages.AssertPng(Path.Combine(samples, "latent-scatter.png"), 760, 700);
    }

    [Fact]
    public void TrainVae_Conv_TrainsTheConvolutionalModel()
    {
        string run = RunPath("conv");
        var r = CliRunner.Run("train", "vae", "--arch", "conv", "--hidden", "16", "--data", data.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("option --hidden sets the MLP's hidden width; --arch conv has fixed layers", r.Error);

        r = CliRunner.Run(["train", "vae", "--arch", "conv", "--epochs", "1", "--batch-size", "32", "--latent", "4", "--beta", "2", "--threads", "1",
            "--out", run, "--data", data.Path]);
        AssertOk(r);
        Assert.Contains("nabla train vae: conv VAE (latent 4), β = 2", r.Out);
        Assert.Matches(LastElbo(), r.LastLine);
        var state = Checkpoint.Load(Path.Combine(run, "model.safetensors"), out var metadata);
        Assert.Equal("conv", metadata["vae_arch"]);
        Assert.Equal("2", metadata["beta"]);
        Assert.Equal([64, 32, 4, 4], state["deconv1.weight"].Shape);
    }

    [Fact]
    public void TrainVae_ResumedAfterAnEpoch_EndsWithTheWeightsOfAnUninterruptedRun()
    {
        string whole = RunPath("whole"), parts = RunPath("parts");
        AssertOk(TrainVae(whole));
        var stopped = TrainVae(parts, "--stop-after-steps", "4");
        AssertOk(stopped);
        Assert.Contains($"stopped after step 4 (--stop-after-steps); continue with: nabla train vae --resume {parts}", stopped.Out);
        Assert.False(File.Exists(Path.Combine(parts, "samples.png")));

        var resumed = CliRunner.Run("train", "vae", "--resume", parts, "--threads", "1");
        AssertOk(resumed);
        Assert.Contains("  resuming from checkpoint.safetensors: end of epoch 1, step 4", resumed.Out);
        AssertSameTensors(Path.Combine(whole, "model.safetensors"), Path.Combine(parts, "model.safetensors"));
        string[] Rows(string run) => [.. File.ReadAllLines(Path.Combine(run, "metrics.csv")).Select(l => string.Join(',', l.Split(',')[..^1]))];
        Assert.Equal(Rows(whole), Rows(parts));   // every column but the seconds

        var refused = CliRunner.Run("train", "vae", "--resume", parts, "--epochs", "3");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("option --epochs cannot be combined with --resume: the run's config.json fixes it", refused.Error);
    }

    [Fact]
    public void TrainGan_FillsTheRunFolder_ResumesExactly_AndSampleGanDrawsGrids()
    {
        string whole = RunPath("gan"), parts = RunPath("gan-parts");
        var r = TrainGan(whole, "--label-smoothing", "0.1");
        AssertOk(r);
        Assert.Contains("nabla train gan: DCGAN (noise 8): generator 194,945 and discriminator 138,689 parameters", r.Out);
        Assert.Contains("training: 2 epochs, batch 16, Adam lr 0.0002 β₁ 0.5 for both networks, label smoothing 0.1, seed 0, 1 threads", r.Out);
        Assert.Matches(@"^epoch 2/2  D loss \d+\.\d{3}  G loss \d+\.\d{3}  D\(x\) 0\.\d{3}  D\(G\(z\)\) 0\.\d{3}  [\d,]+ images/s$",
            r.Out.Split('\n').Single(l => l.StartsWith("epoch 2/2", StringComparison.Ordinal)));
        var rows = File.ReadAllLines(Path.Combine(whole, "metrics.csv"));
        Assert.Equal("epoch,step,d_loss,g_loss,d_real,d_fake,seconds", rows[0]);
        Assert.Equal(8, rows.Length - 1);   // 4 steps per epoch, a row after each (logEvery 1)
        foreach (var c in rows.Skip(1).Select(row => row.Split(',')))
        {
            Assert.InRange(double.Parse(c[4], CultureInfo.InvariantCulture), 0, 1);
            Assert.InRange(double.Parse(c[5], CultureInfo.InvariantCulture), 0, 1);
        }
        var state = Checkpoint.Load(Path.Combine(whole, "model.safetensors"), out var metadata);
        Assert.Equal("dcgan", metadata["arch"]);
        Assert.Equal("8", metadata["latent"]);
        Assert.Equal([6272, 8], state["fc.weight"].Shape);
        Assert.Equal([1, 6272], Checkpoint.Load(Path.Combine(whole, "discriminator.safetensors"))["fc.weight"].Shape);
        foreach (string png in new[] { "samples-epoch-01.png", "samples-epoch-02.png", "samples.png" })
            AssertGrid(Path.Combine(whole, png), Grid(64, 8));
        RunImages.AssertPng(Path.Combine(whole, "curves.png"), 1400, 480);

        AssertOk(TrainGan(parts, "--label-smoothing", "0.1", "--stop-after-steps", "4"));
        var resumed = CliRunner.Run("train", "gan", "--resume", parts, "--threads", "1");
        AssertOk(resumed);
        Assert.Contains("  resuming from checkpoint.safetensors: end of epoch 1, step 4", resumed.Out);
        AssertSameTensors(Path.Combine(whole, "model.safetensors"), Path.Combine(parts, "model.safetensors"));
        AssertSameTensors(Path.Combine(whole, "discriminator.safetensors"), Path.Combine(parts, "discriminator.safetensors"));

        string samples = RunPath("gan-samples");
        var s = CliRunner.Run("sample", "gan", "--checkpoint", Path.Combine(parts, "checkpoint.safetensors"), "--out", samples, "--count", "16",
            "--steps", "5", "--threads", "1");
        AssertOk(s);
        Assert.Equal($"wrote {samples}: samples.png, interpolation.png", s.LastLine);
        AssertGrid(Path.Combine(samples, "samples.png"), Grid(16, 4));
        AssertGrid(Path.Combine(samples, "interpolation.png"), Grid(8 * 5, 5));

        var wrongKind = CliRunner.Run("sample", "vae", "--checkpoint", Path.Combine(whole, "model.safetensors"), "--data", data.Path);
        Assert.Equal(1, wrongKind.ExitCode);
        Assert.Equal([$"nabla sample vae: error: checkpoint {Path.Combine(whole, "model.safetensors")} holds a DCGAN (noise 8); nabla sample vae takes a checkpoint of nabla train vae (try nabla sample gan)"],
            wrongKind.ErrorLines);
    }

    [Fact]
    public void EvaluateGenerator_ReportsFrechetDistanceClassSharesAndConfidence()
    {
        string cnn = RunPath("cnn"), vae = RunPath("vae-eval");
        AssertOk(CliRunner.Run("train", "cnn", "--epochs", "1", "--batch-size", "16", "--threads", "1", "--out", cnn, "--data", data.Path));
        AssertOk(CliRunner.Run(["train", "vae", "--epochs", "1", "--batch-size", "16", "--latent", "2", "--hidden", "16", "--threads", "1", "--out", vae, "--data", data.Path]));

        var r = CliRunner.Run("evaluate-generator", "--checkpoint", Path.Combine(vae, "model.safetensors"), "--classifier", Path.Combine(cnn, "model.safetensors"),
            "--samples", "40", "--data", data.Path, "--threads", "1");
        AssertOk(r);
        Assert.Contains("Fréchet distance of CNN penultimate-layer features, 40 generated vs 32 test images: ", r.Out);
        Assert.Contains("reference: 32 training images vs the test images: ", r.Out);
        var shares = Shares().Matches(r.Out).Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, shares.Length);   // two classes
        Assert.Equal(100, shares.Sum(), 0.11);
        Assert.Matches(@"mean confidence \(top softmax probability\): generated (0\.\d{4}|1\.0000), test images", r.Out);
        Assert.Matches(@"^fréchet distance: \d+\.\d{3}$", r.LastLine);
        Assert.True(double.Parse(r.LastLine["fréchet distance: ".Length..], CultureInfo.InvariantCulture) >= 0);

        var notCnn = CliRunner.Run("evaluate-generator", "--checkpoint", Path.Combine(vae, "model.safetensors"), "--classifier", Path.Combine(vae, "model.safetensors"),
            "--data", data.Path);
        Assert.Equal(1, notCnn.ExitCode);
        Assert.StartsWith($"nabla evaluate-generator: error: checkpoint {Path.Combine(vae, "model.safetensors")} holds a 'vae' model; nabla evaluate-generator can rebuild:", notCnn.Error, StringComparison.Ordinal);

        var notGenerator = CliRunner.Run("evaluate-generator", "--checkpoint", Path.Combine(cnn, "model.safetensors"), "--classifier", Path.Combine(cnn, "model.safetensors"));
        Assert.Equal(1, notGenerator.ExitCode);
        Assert.Equal([$"nabla evaluate-generator: error: checkpoint {Path.Combine(cnn, "model.safetensors")} holds a 'cnn' model; nabla evaluate-generator takes the model.safetensors or checkpoint.safetensors of nabla train vae or nabla train gan"],
            notGenerator.ErrorLines);
    }

    [Theory]
    [InlineData(new[] { "train", "vae", "--arch", "rnn" }, "nabla train vae: --arch got 'rnn'; expected one of mlp, conv. Run 'nabla help train vae' for usage.")]
    [InlineData(new[] { "train", "vae", "--beta", "-1" }, "nabla train vae: --beta got '-1'; expected a number of at least 0, such as 0.9 or 5e-4. Run 'nabla help train vae' for usage.")]
    [InlineData(new[] { "train", "gan", "--label-smoothing", "1" }, "nabla train gan: --label-smoothing got '1'; expected a number in [0, 1), such as 0.1. Run 'nabla help train gan' for usage.")]
    [InlineData(new[] { "sample" }, "nabla sample: missing the model kind; expected one of vae, gan. Run 'nabla help sample' for usage.")]
    [InlineData(new[] { "sample", "gan" }, "nabla sample gan: option --checkpoint is required (model.safetensors or checkpoint.safetensors written by nabla train gan). Run 'nabla help sample gan' for usage.")]
    [InlineData(new[] { "evaluate-generator", "--checkpoint", "x.safetensors" }, "nabla evaluate-generator: option --classifier is required (model.safetensors of a CNN trained by nabla train cnn). Run 'nabla help evaluate-generator' for usage.")]
    public void BadArguments_Exit2WithOneLine(string[] args, string message)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal([message], r.ErrorLines);
    }

    [Fact]
    public void Help_ListsTheGenerativeCommands()
    {
        var overview = CliRunner.Run("--help");
        Assert.Contains("  train vae     Trains a variational autoencoder", overview.Out);
        Assert.Contains("  evaluate-generator  Scores a trained VAE or DCGAN", overview.Out);
        var help = CliRunner.Run("help", "train", "gan");
        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith("Usage: nabla train gan [--latent N] [--label-smoothing X] [--beta1 X] [--epochs N]", help.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("--stop-after-steps", help.Out);
    }

    [GeneratedRegex(@"^test negative ELBO: (\d+\.\d{2}) nats per image \(reconstruction (\d+\.\d{2}) \+ KL (\d+\.\d{2})\)$")]
    private static partial Regex LastElbo();

    [GeneratedRegex(@"  (\d): (\d+\.\d)%")]
    private static partial Regex Shares();
}
