using Nabla.Cli.Sequence.CharLm;
using Nabla.Data.Text;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Sequence;

public sealed class CharLmTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nabla-charlm-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string WriteText()
    {
        string path = Path.Combine(folder, "text.txt");
        var lines = Enumerable.Range(0, 400).Select(i => $"And the {(i % 3 == 0 ? "king" : "people")} said unto them, go in peace {i % 7}.");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Corpus_ServesShiftedWindows_FromTheTrainingPart()
    {
        string text = File.ReadAllText(WriteText());
        var corpus = new CharCorpus(text, CharVocabulary.Build(text));
        Assert.Equal((int)(text.Length * 0.9), corpus.TrainLength);
        var (x, y) = corpus.TrainBatch(4, 16, new Generator(3));
        Assert.Equal([4, 16], x.Shape);
        var xs = x.ToArray<long>();
        var ys = y.ToArray<long>();
        for (int b = 0; b < 4; b++)
            for (int t = 0; t < 15; t++) Assert.Equal(xs[b * 16 + t + 1], ys[b * 16 + t]);
        var windows = corpus.ValidationBatches(8, 16, 20).ToList();
        Assert.Equal(20, windows.Sum(w => w.X.Shape[0]));
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("transformer")]
    public void TrainCharLm_ThenSample_FromItsCheckpoint(string arch)
    {
        string run = Path.Combine(folder, arch);
        var r = CliRunner.Run("train", "charlm", "--arch", arch, "--text", WriteText(), "--steps", "30", "--eval-every", "15", "--lr", "0.01", "--batch-size", "8",
            "--seq-len", "24", "--hidden", "16", "--heads", "2", "--layers", "1", "--sample-length", "20", "--threads", "1", "--out", run);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Matches(@"validation loss: \d\.\d{4} nats/char \(\d\.\d{3} bits/char\)", r.Out);
        foreach (var file in new[] { "metrics.csv", "model.safetensors", "loss.png", "sample.txt" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        // Loss per character starts near ln(V) ≈ 3.5 and must have fallen after 30 steps on such a repetitive text.
        var rows = File.ReadAllLines(Path.Combine(run, "metrics.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        double last = double.Parse(rows[^1][2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(last < 3.0, $"validation loss {last}");

        var sample = CliRunner.Run("sample", "--checkpoint", Path.Combine(run, "model.safetensors"), "--prompt", "And the", "--length", "30", "--top-k", "5", "--seed", "4");
        Assert.True(sample.ExitCode == 0, sample.Error);
        Assert.StartsWith("And the", sample.Out);
        var again = CliRunner.Run("sample", "--checkpoint", Path.Combine(run, "model.safetensors"), "--prompt", "And the", "--length", "30", "--top-k", "5", "--seed", "4");
        Assert.Equal(sample.Out, again.Out);   // seeded
    }

    [Fact]
    public void Sample_RefusesACheckpointThatIsNotALanguageModel()
    {
        string path = Path.Combine(folder, "other.safetensors");
        Nabla.IO.Checkpoint.Save(path, new Nabla.NN.Linear(2, 2), new Dictionary<string, string> { ["arch"] = "mlp" });
        var r = CliRunner.Run("sample", "--checkpoint", path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not a character language model", r.Error);
    }
}
