using System.Globalization;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Cli.Tests;

/// <summary>An MLP 784-32-2 (two classes, from the labels) trained once by <c>nabla train mlp</c> on <see cref="TinyMnist"/> (0: left half inked, 1: right half).</summary>
public sealed class TrainedTinyMlp : IDisposable
{
    private readonly TinyMnist data = new(train: 200, test: 100);

    public TrainedTinyMlp()
    {
        var r = CliRunner.Run("train", "mlp", "--epochs", "1", "--batch-size", "20", "--hidden", "32", "--threads", "1",
            "--out", System.IO.Path.Combine(data.Path, "run"), "--data", data.Path);
        if (r.ExitCode != 0) throw new InvalidOperationException($"training the test model failed: {r.Error}");
    }

    public string Checkpoint => System.IO.Path.Combine(data.Path, "run", "model.safetensors");

    public string Folder => data.Path;

    public void Dispose() => data.Dispose();
}

public sealed class PredictTests(TrainedTinyMlp trained) : IClassFixture<TrainedTinyMlp>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nabla-cli-predict-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A side × side gray digit in TinyMnist's style: the left (or right) half inked 230 on a background of 10.</summary>
    private static byte[] Digit(bool left, int side = 28)
    {
        var pixels = new byte[side * side];
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
                pixels[r * side + c] = (byte)((c < side / 2) == left ? 230 : 10);
        return pixels;
    }

    private string WritePng(string name, PngImage image)
    {
        string path = Path.Combine(folder, name);
        Png.Write(path, image);
        return path;
    }

    private string Gray(string name, bool left, int side = 28) => WritePng(name, new PngImage(side, side, 1, Digit(left, side)));

    private static string Percent(double p) => (100 * p).ToString("F2", CultureInfo.InvariantCulture) + "%";

    [Fact]
    public void Predict_PrintsLabelConfidenceAndTopClassesPerImage()
    {
        string zero = Gray("zero.png", left: true), one = Gray("one.png", left: false);

        var r = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, zero, one);

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal("", r.Error);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal($"nabla predict: MLP 784-32-2 from {trained.Checkpoint}", lines[0]);
        Assert.Matches($@"^{Regex(zero)}: 0 \((\d+\.\d\d)%\)  top 2: 0 \1%, 1 \d+\.\d\d%$", lines[1]);
        Assert.Matches($@"^{Regex(one)}: 1 \((\d+\.\d\d)%\)  top 2: 1 \1%, 0 \d+\.\d\d%$", lines[2]);
        double confidence = double.Parse(lines[1].Split('(', ')')[1].TrimEnd('%'), CultureInfo.InvariantCulture);
        Assert.True(confidence > 90, $"a clean 0 should be classified confidently: {lines[1]}");
    }

    [Fact]
    public void Predict_ProbabilitiesAreTheModelsSoftmaxOnMnistNormalizedPixels()
    {
        string path = Gray("zero.png", left: true);
        var model = MlpFactory.Build([784, 32, 2]);
        Checkpoint.LoadInto(trained.Checkpoint, model);
        var x = Tensor.FromArray<float>([.. Digit(left: true).Select(b => (b / 255f - MnistDataset.Mean) / MnistDataset.Std)], [1, 1, 28, 28]);
        float[] p;
        using (Tensor.NoGrad()) p = model.Call(x).Softmax(-1).ToArray<float>();
        int[] ranked = [.. Enumerable.Range(0, 2).OrderByDescending(k => p[k]).ThenBy(k => k)];

        var r = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, "--top", "4", path);

        Assert.True(r.ExitCode == 0, r.Error);
        string expected = $"{path}: {ranked[0]} ({Percent(p[ranked[0]])})  top 2: " + string.Join(", ", ranked.Take(2).Select(k => $"{k} {Percent(p[k])}"));
        Assert.Equal(expected, r.LastLine);
    }

    [Fact]
    public void Predict_RgbImage_IsConvertedToGray()
    {
        string gray = Gray("gray.png", left: false);
        string rgb = WritePng("rgb.png", new PngImage(28, 28, 3, [.. Digit(left: false).SelectMany(v => new[] { v, v, v })]));
        var a = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, gray);
        var b = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, rgb);
        Assert.True(b.ExitCode == 0, b.Error);
        Assert.Equal(a.LastLine[(gray.Length + 1)..], b.LastLine[(rgb.Length + 1)..]);
    }

    [Fact]
    public void Predict_WrongSize_Exits1WithAClearMessage()
    {
        string big = Gray("big.png", left: true, side: 32);
        var r = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, big);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal([$"nabla predict: error: {big} is 32×32 pixels but the model takes 28×28 images; pass --resize bilinear to resample it"], r.ErrorLines);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Predict_ResizeBilinear_ResamplesOtherSizes()
    {
        string big = Gray("big.png", left: true, side: 56);
        var r = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, "--resize", "bilinear", big);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.StartsWith($"{big}: 0 (", r.LastLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_MissingImage_Exits2NamingIt()
    {
        string missing = Path.Combine(folder, "nope.png");
        var r = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, missing);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal([$"nabla predict: image '{missing}' does not exist; expected a PNG file. Run 'nabla help predict' for usage."], r.ErrorLines);
    }

    [Fact]
    public void Predict_NoImages_Exits2()
    {
        var r = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["nabla predict: missing IMAGE.png; expected one or more PNG files to classify. Run 'nabla help predict' for usage."], r.ErrorLines);
    }

    [Fact]
    public void Predict_CorruptPng_Exits1WithThePngError()
    {
        string bad = Path.Combine(folder, "bad.png");
        File.WriteAllBytes(bad, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4]);
        var r = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, bad);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal([$"nabla predict: error: png: {bad}: does not start with the PNG signature 89 50 4E 47 0D 0A 1A 0A (starts 89504E4701020304)"], r.ErrorLines);
    }

    [Fact]
    public void Predict_BadResizeMode_Exits2()
    {
        var r = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, "--resize", "cubic", Gray("x.png", true));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nabla predict: --resize got 'cubic'; expected one of none, bilinear.", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainedCheckpoint_RecordsInputShapeAndNormalization()
    {
        Checkpoint.Load(trained.Checkpoint, out var metadata);
        Assert.Equal("1,28,28", metadata["input_shape"]);
        Assert.Equal(MnistDataset.Mean, float.Parse(metadata["normalize_mean"], CultureInfo.InvariantCulture));
        Assert.Equal(MnistDataset.Std, float.Parse(metadata["normalize_std"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Predict_BareCheckpointWithoutMetadata_AssumesA28x28GrayMnistImage()
    {
        var state = Checkpoint.Load(trained.Checkpoint);
        string bare = Path.Combine(folder, "bare.safetensors");
        Checkpoint.Save(bare, new Dictionary<string, Tensor>
        {
            ["0.weight"] = state["1.weight"], ["0.bias"] = state["1.bias"], ["2.weight"] = state["3.weight"], ["2.bias"] = state["3.bias"],
        });
        string image = Gray("one.png", left: false);
        var expected = CliRunner.Run("predict", "--checkpoint", trained.Checkpoint, image);
        var r = CliRunner.Run("predict", "--checkpoint", bare, image);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(expected.LastLine, r.LastLine);
    }

    [Fact]
    public void Predict_UnknownArchitecture_Exits1NamingIt()
    {
        string path = Path.Combine(folder, "resnet.safetensors");
        Checkpoint.Save(path, new Dictionary<string, Tensor> { ["conv.weight"] = Tensor.Zeros([4, 1, 3, 3]) }, new Dictionary<string, string> { ["arch"] = "resnet" });
        var r = CliRunner.Run("predict", "--checkpoint", path, Gray("x.png", true));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal([$"nabla predict: error: checkpoint {path} holds a 'resnet' model; nabla predict can rebuild: mlp, cnn"], r.ErrorLines);
    }

    [Fact]
    public void PngReader_DecodesTheLossPlotThatSkiaSharpEncoded()
    {
        // An independent encoder (Skia, via ScottPlot): real zlib streams, filter choices and chunk layout.
        var plot = Png.Read(Path.Combine(trained.Folder, "run", "loss.png"));
        Assert.Equal((900, 540), (plot.Width, plot.Height));
        Assert.True(plot.Channels is 3 or 4, $"{plot}");
        Assert.True(plot.Pixels.Distinct().Count() > 10, "the plot has lines and text, not one colour");
        Assert.Equal(255, plot.Pixels[0]);   // the top-left corner is white background
    }

    [Fact]
    public void HelpPredict_ShowsOptionsAndImages()
    {
        var r = CliRunner.Run("help", "predict");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Usage: nabla predict --checkpoint FILE [--resize MODE] [--top K] IMAGE.png [IMAGE.png ...]", r.Out, StringComparison.Ordinal);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
