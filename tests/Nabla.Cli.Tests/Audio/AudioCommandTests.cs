using System.Globalization;
using Nabla.Audio;
using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Audio;

/// <summary><c>nabla mel</c> and <c>nabla mfcc</c> on a generated WAV file: images, values equal to the library's
/// presets, options and error messages.</summary>
public sealed class AudioCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nabla-audio-cli-").FullName;
    private readonly string wav;
    private readonly Tensor signal;

    public AudioCommandTests()
    {
        // 0.75 s at 22.05 kHz: a chirp from 200 Hz to 5 kHz, stereo (the second channel half as loud).
        int n = 16538;
        var values = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            double t = i / 22050.0;
            values[i] = (float)(0.5 * Math.Sin(2 * Math.PI * (200 * t + 4800 * t * t / 1.5)));
            values[n + i] = values[i] / 2;
        }
        wav = Path.Combine(folder, "chirp.wav");
        Wav.Write(wav, Tensor.FromArray<float>(values, [2, n]), 22050, WavEncoding.Float32);
        signal = Wav.Read(wav, mono: true).Samples.Squeeze(0);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string PathOf(string name) => Path.Combine(folder, name);

    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void Mel_LibrosaDefaults_DrawsAndSavesTheLibrarysValues()
    {
        var r = CliRunner.Run("mel", wav, "--png", PathOf("mel.png"), "--values", PathOf("mel.safetensors"), "--db", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("nabla mel: chirp.wav: 22050 Hz, 2 channel(s) mixed to mono, 16,538 samples (0.75 s), Float32", r.Out);
        Assert.Contains("librosa: n_fft 2048, hop 512, Hann, 128 Slaney mels (Slaney norm), constant padding → [128, 33] in dB", r.Out);
        Assert.Equal((1000, 520), PngSize(PathOf("mel.png")));
        var values = Checkpoint.Load(PathOf("mel.safetensors"), out var metadata);
        Assert.Equal([128, 33], values["mel"].Shape);   // 1 + ⌊16538 / 512⌋ frames
        Assert.Equal("librosa", metadata["preset"]);
        Assert.Equal("22050", metadata["sample_rate"]);
        Assert.Equal("db", metadata["scale"]);
        using (Tensor.NoGrad())
        {
            var expected = AudioPreset.Librosa.Decibels().Call(AudioPreset.Librosa.MelSpectrogram(22050).Call(signal));
            Assert.Equal(expected.ToArray<float>(), values["mel"].ToArray<float>());
        }
    }

    [Fact]
    public void Mel_TorchaudioPresetWithOptions_SavesPowerValues()
    {
        var r = CliRunner.Run("mel", wav, "--preset", "torchaudio", "--n-fft", "512", "--hop", "128", "--n-mels", "64", "--values", PathOf("v.safetensors"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.DoesNotContain("wrote " + PathOf("chirp-mel.png"), r.Out);
        var values = Checkpoint.Load(PathOf("v.safetensors"), out var metadata);
        Assert.Equal([64, 130], values["mel"].Shape);   // 1 + ⌊16538 / 128⌋
        Assert.Equal(("torchaudio", "512", "128", "64", "power"), (metadata["preset"], metadata["n_fft"], metadata["hop_length"], metadata["n_mels"], metadata["scale"]));
        using (Tensor.NoGrad())
        {
            var expected = AudioPreset.Torchaudio.With(512, 128, 64).MelSpectrogram(22050).Call(signal);
            Assert.Equal(expected.ToArray<float>(), values["mel"].ToArray<float>());
        }
    }

    [Fact]
    public void Mel_WithoutOutputs_DrawsNextToTheInput()
    {
        var r = CliRunner.Run("mel", wav);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.True(File.Exists(PathOf("chirp-mel.png")));
    }

    [Fact]
    public void Mfcc_DefaultAndCustomCounts()
    {
        var r = CliRunner.Run("mfcc", wav, "--values", PathOf("m.safetensors"), "--png", PathOf("m.png"));
        Assert.True(r.ExitCode == 0, r.Error);
        var values = Checkpoint.Load(PathOf("m.safetensors"), out var metadata);
        Assert.Equal([20, 33], values["mfcc"].Shape);
        Assert.Equal("20", metadata["n_mfcc"]);
        using (Tensor.NoGrad())
            Assert.Equal(AudioPreset.Librosa.Mfcc(22050).Call(signal).ToArray<float>(), values["mfcc"].ToArray<float>());
        Assert.Equal((1000, 520), PngSize(PathOf("m.png")));

        var t = CliRunner.Run("mfcc", wav, "--preset", "torchaudio", "--n-mfcc", "13", "--values", PathOf("t.safetensors"));
        Assert.True(t.ExitCode == 0, t.Error);
        Assert.Equal([13, 83], Checkpoint.Load(PathOf("t.safetensors"))["mfcc"].Shape);   // hop 200
    }

    [Fact]
    public void Mel_RefusesBadInputsWithClearMessages()
    {
        var missing = CliRunner.Run("mel", PathOf("none.wav"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("expected an existing WAV file", missing.Error);
        var none = CliRunner.Run("mel");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("missing the input WAV file", none.Error);
        var preset = CliRunner.Run("mel", wav, "--preset", "kaldi");
        Assert.Equal(2, preset.ExitCode);
        Assert.Contains("--preset got 'kaldi'; expected one of librosa, torchaudio", preset.Error);
        var coefficients = CliRunner.Run("mfcc", wav, "--n-mels", "10", "--n-mfcc", "12");
        Assert.Equal(2, coefficients.ExitCode);
        Assert.Contains("--n-mfcc", coefficients.Error);

        File.WriteAllBytes(PathOf("bad.wav"), "RIFX0000WAVE"u8.ToArray());
        var bad = CliRunner.Run("mel", PathOf("bad.wav"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("nabla mel: error: wav: bad.wav: not a RIFF file: it starts with 'RIFX', expected 'RIFF'", bad.ErrorLines.Single());
    }

    [Fact]
    public void Help_ListsTheAudioCommands()
    {
        var overview = CliRunner.Run("--help");
        Assert.Contains("mel ", overview.Out);
        Assert.Contains("mfcc ", overview.Out);
        Assert.Contains("train speech", overview.Out);
        var mel = CliRunner.Run("help", "mel");
        Assert.Equal(0, mel.ExitCode);
        foreach (string option in (string[])["--png", "--values", "--preset", "--n-fft", "--hop", "--n-mels", "--db"]) Assert.Contains(option, mel.Out);
        Assert.Contains("--n-mfcc", CliRunner.Run("help", "mfcc").Out);
        Assert.Contains("--renditions", CliRunner.Run("help", "train", "speech").Out);
    }

    internal static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
