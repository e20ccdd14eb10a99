namespace Nabla.Cli.Tests.Sequence;

public sealed class TrainSeq2SeqTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nabla-seq2seq-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("lstm")]
    [InlineData("transformer")]
    public void TrainSeq2Seq_WritesItsFiles_AndEndsWithTheExactMatchLine(string arch)
    {
        string run = Path.Combine(folder, arch);
        var r = CliRunner.Run("train", "seq2seq", "--arch", arch, "--steps", "12", "--eval-every", "6", "--batch-size", "8",
            "--hidden", "16", "--heads", "2", "--layers", "1", "--test-size", "20", "--beam", "2", "--threads", "1", "--out", run);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Matches(@"^test exact-match: \d{1,3}\.\d{2}%$", r.LastLine);
        Assert.Contains("with beam search (beam 2)", r.Out);
        foreach (var file in new[] { "metrics.csv", "model.safetensors", "loss.png", "accuracy.png", "attention.png", "errors.txt" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        var rows = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal("step,train_loss,test_exact_match_greedy,lr,seconds", rows[0]);
        Assert.Equal(2, rows.Skip(1).Count(row => row.Split(',')[2].Length > 0));   // evaluations at steps 6 and 12
        Assert.Equal(20, File.ReadAllLines(Path.Combine(run, "errors.txt")).Length
            + (int)Math.Round(double.Parse(r.Out.Split("greedy decoding ")[1].Split('%')[0], System.Globalization.CultureInfo.InvariantCulture) / 5));
        var png = File.ReadAllBytes(Path.Combine(run, "attention.png"));
        Assert.Equal(0x89, png[0]);
    }

    [Fact]
    public void TrainSeq2Seq_RefusesBadOptions()
    {
        var r = CliRunner.Run("train", "seq2seq", "--arch", "gru", "--out", Path.Combine(folder, "x"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--arch", r.Error);
        r = CliRunner.Run("train", "seq2seq", "--arch", "transformer", "--hidden", "30", "--heads", "4", "--out", Path.Combine(folder, "y"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--heads", r.Error);
    }
}
