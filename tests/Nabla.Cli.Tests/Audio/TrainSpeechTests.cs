using System.Globalization;
using Nabla.Audio;
using Nabla.IO;

namespace Nabla.Cli.Tests.Audio;

/// <summary><c>nabla train speech</c> on a few espeak-ng speakers: the data set it synthesises and the run folder it fills.</summary>
public sealed class TrainSpeechTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nabla-speech-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [EspeakFact]
    public void TrainSpeech_SynthesisesTheDigitsAndTrains()
    {
        string data = Path.Combine(folder, "data"), run = Path.Combine(folder, "run");
        var r = CliRunner.Run("train", "speech", "--data", data, "--speakers", "2", "--renditions", "1", "--epochs", "2", "--batch-size", "8",
            "--threads", "1", "--out", run);
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.Contains("synthesising 40 utterances with espeak-ng", r.Out);
        Assert.Contains("2 training and 2 test speakers (voices and variants disjoint), log-mel [1, 40, 101] per 1 s clip", r.Out);
        Assert.Contains("nabla train speech: MelClassifier conv 16-32-64, 10 words (29,930 parameters)", r.Out);
        Assert.Contains("20 training and 20 test utterances of 10 classes", r.Out);
        Assert.Matches(@"^test accuracy: \d{1,3}\.\d{2}%$", r.LastLine);

        // The cache: 16 kHz WAV files and a manifest naming split, speaker and synthesis settings.
        var manifest = File.ReadAllLines(Path.Combine(data, "manifest.csv"));
        Assert.Equal("file,label,word,split,speaker,speed,pitch", manifest[0]);
        Assert.Equal(41, manifest.Length);
        var rows = manifest.Skip(1).Select(line => line.Split(',')).ToArray();
        Assert.Equal(["en-gb", "en-us"], rows.Where(c => c[3] == "train").Select(c => c[4]).Distinct().Order());
        Assert.Equal(["en-029+m4", "en-gb-x-gbcwmd+m4"], rows.Where(c => c[3] == "test").Select(c => c[4]).Distinct().Order());
        var seven = Wav.Read(Path.Combine(data, rows.First(c => c[2] == "seven")[0]));
        Assert.Equal(16000, seven.SampleRate);
        Assert.InRange(seven.Duration, 0.2, 1.2);

        foreach (string file in (string[])["metrics.csv", "model.safetensors", "checkpoint.safetensors", "config.json", "loss.png", "curves.png", "misclassified.png"])
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        var state = Checkpoint.Load(Path.Combine(run, "model.safetensors"), out var metadata);
        Assert.Equal([16, 1, 3, 3], state["conv1.weight"].Shape);
        Assert.Equal([10, 640], state["fc.weight"].Shape);
        Assert.Equal("mel_classifier", metadata["arch"]);
        Assert.Equal("1,40,101", metadata["input_shape"]);
        Assert.Equal("1", metadata["renditions"]);

        // A second run reuses the cached utterances.
        var again = CliRunner.Run("train", "speech", "--data", data, "--speakers", "2", "--renditions", "1", "--epochs", "1", "--threads", "1",
            "--out", Path.Combine(folder, "run2"));
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.DoesNotContain("synthesising", again.Out);
        // The features are a function of the seed: the same normalization both times.
        Checkpoint.Load(Path.Combine(folder, "run2", "model.safetensors"), out var second);
        Assert.Equal(metadata["normalize_mean"], second["normalize_mean"]);
        Assert.True(double.Parse(second["normalize_std"], CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public void TrainSpeech_RefusesOptionsFixedByAResumedRun()
    {
        var r = CliRunner.Run("train", "speech", "--resume", folder, "--renditions", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("option --renditions cannot be combined with --resume", r.Error);
    }
}
