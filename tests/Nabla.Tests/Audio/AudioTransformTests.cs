using Nabla.Audio;
using Nabla.Audio.Transforms;
using Nabla.Tensors;

namespace Nabla.Tests.Audio;

/// <summary>Windows, presets, module state, inverse transforms and argument errors of the audio front end.</summary>
public sealed class AudioTransformTests
{
    [Fact]
    public void Windows_MatchTorchFormulas()
    {
        Assert.Equal([0f, 0.5f, 1f, 0.5f], Windows.Hann(4).ToArray<float>());
        Assert.Equal([0f, 1f, 0f], Windows.Hann(3, periodic: false).ToArray<float>());
        var hamming = Windows.Hamming(4).ToArray<float>();
        Assert.Equal([0.08f, 0.54f, 1f, 0.54f], hamming.Select(v => MathF.Round(v, 6)));
        var blackman = Windows.Blackman(4).ToArray<float>();
        Assert.Equal([0f, 0.34f, 1f, 0.34f], blackman.Select(v => MathF.Round(v, 6)));
        Assert.Equal([1f], Windows.Hann(1).ToArray<float>());
        Assert.Equal([1f, 1f, 1f], Windows.Rectangular(3).ToArray<float>());
        Assert.Equal([0f, 1f, 1f, 0f, 0f], Windows.PadCenter(Windows.Rectangular(2), 5).ToArray<float>());
    }

    [Fact]
    public void Presets_HoldTheReferencesDefaults()
    {
        var l = AudioPreset.Librosa;
        Assert.Equal((2048, 512, PadMode.Constant, 128, MelScaleKind.Slaney, MelNorm.Slaney, 80.0, 20), (l.NFft, l.HopLength, l.PadMode, l.NMels, l.MelScale, l.MelNorm, l.TopDb, l.NMfcc));
        var t = AudioPreset.Torchaudio;
        Assert.Equal((400, 200, PadMode.Reflect, 128, MelScaleKind.Htk, MelNorm.None, (double?)null, 40), (t.NFft, t.HopLength, t.PadMode, t.NMels, t.MelScale, t.MelNorm, t.TopDb, t.NMfcc));
        Assert.Equal(256, l.With(nFft: 1024).HopLength);
        Assert.Equal(512, t.With(nFft: 1024).HopLength);
        Assert.Same(AudioPreset.Torchaudio, AudioPreset.Parse("TorchAudio"));
        Assert.Contains("expected librosa or torchaudio", Assert.Throws<ArgumentException>(() => AudioPreset.Parse("kaldi")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TorchaudioPreset_EqualsTheDefaultMelSpectrogram()
    {
        var x = Tensor.Randn([2, 3000], generator: new Generator(2));
        AudioReference.Close(new MelSpectrogram(16000).Call(x), AudioPreset.Torchaudio.MelSpectrogram(16000).Call(x), "preset", rtol: 1e-6, atol: 1e-7);
    }

    [Fact]
    public void MelSpectrogram_StateDictUsesTorchaudioNames()
    {
        var keys = new MelSpectrogram(16000, 512, nMels: 40).StateDict().Keys.ToArray();
        Assert.Equal(["spectrogram.window", "mel_scale.fb"], keys);
        var mfcc = new Mfcc(16000, 13, melSpectrogram: new MelSpectrogram(16000, nMels: 40)).StateDict();
        Assert.Equal([40, 13], mfcc["dct_mat"].Shape);
        Assert.Equal([201, 40], mfcc["MelSpectrogram.mel_scale.fb"].Shape);
    }

    [Fact]
    public void Istft_InvertsStft()
    {
        var x = Tensor.Randn([3, 1000], generator: new Generator(5));
        foreach (int n in new[] { 64, 100, 97 })
        {
            var window = Windows.Hann(n);
            var spec = AudioFunctional.Stft(x, n, n / 4, window: window);
            var y = AudioFunctional.Istft(spec, n, n / 4, window: window, length: 1000);
            AudioReference.Close(x, y, $"n_fft {n}", rtol: 1e-4, atol: 1e-5);
        }
    }

    [Theory, InlineData(1L), InlineData(2L), InlineData(3L)]
    public void GriffinLim_RecoversAMagnitudeSpectrogram(long seed)
    {
        // The random initial phases come from a seeded generator: through the module they would come from the shared
        // default generator, whose state depends on which tests ran before, and 32 iterations end near 0.1 for some
        // starting phases (seeds 1–3 end at 0.066–0.078).
        var t = Tensor.Arange(0, 4000).Div(8000);
        var x = t.Mul(2 * Math.PI * 440).Sin().Add(t.Mul(2 * Math.PI * 1250).Sin().Mul(0.5));
        var power = new Spectrogram(256, hopLength: 64).Call(x);
        var y = AudioFunctional.GriffinLim(power, Windows.Hann(256), 256, 64, nIter: 32, generator: new Generator(seed));
        var rebuilt = new Spectrogram(256, hopLength: 64).Call(y);
        double error = rebuilt.Sqrt().Sub(power.Sqrt()).Abs().Sum().Item() / power.Sqrt().Sum().Item();
        Assert.True(error < 0.1, $"spectral convergence {error}");
    }

    [Fact]
    public void GriffinLimModule_WithoutRandomPhases_RecoversAMagnitudeSpectrogram()
    {
        var t = Tensor.Arange(0, 4000).Div(8000);
        var x = t.Mul(2 * Math.PI * 440).Sin().Add(t.Mul(2 * Math.PI * 1250).Sin().Mul(0.5));
        var power = new Spectrogram(256, hopLength: 64).Call(x);
        var y = new GriffinLim(256, nIter: 100, hopLength: 64, randInit: false).Call(power);
        var rebuilt = new Spectrogram(256, hopLength: 64).Call(y);
        double error = rebuilt.Sqrt().Sub(power.Sqrt()).Abs().Sum().Item() / power.Sqrt().Sum().Item();
        Assert.True(error < 0.1, $"spectral convergence {error}");
    }

    [Fact]
    public void Spectrogram_RefusesBadArgumentsWithClearMessages()
    {
        var x = Tensor.Randn([100]);
        Assert.Contains("reflect padding of 100 samples (n_fft / 2) must be less than the signal length 100",
            Assert.Throws<ArgumentException>(() => AudioFunctional.Spectrogram(x, Windows.Hann(200), 200, 50)).Message, StringComparison.Ordinal);
        Assert.Contains("is shorter than n_fft = 200",
            Assert.Throws<ArgumentException>(() => AudioFunctional.Stft(x, 200, 50, window: Windows.Hann(200), center: false)).Message, StringComparison.Ordinal);
        Assert.Contains("win_length must be in [1, n_fft = 64]",
            Assert.Throws<ArgumentOutOfRangeException>(() => AudioFunctional.Stft(x, 64, 16, winLength: 80)).Message, StringComparison.Ordinal);
        Assert.Contains("float32 or float64 signals",
            Assert.Throws<ArgumentException>(() => AudioFunctional.Stft(Tensor.Zeros([100], DType.Int64), 16)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot exceed the 5 frames",
            Assert.Throws<ArgumentException>(() => AudioFunctional.Delta(Tensor.Zeros([3, 5]))).Message, StringComparison.Ordinal);
        Assert.Contains("violate the nonzero overlap-add (NOLA) condition",
            Assert.Throws<ArgumentException>(() => AudioFunctional.Istft(AudioFunctional.Stft(x, 16, 16, window: Windows.Hann(16)), 16, 16, window: Windows.Hann(16))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Masking_SetsOneBandAndOneFrameRangePerImage()
    {
        var images = Tensor.Ones([8, 1, 10, 20]);
        var f = new FrequencyMasking(4, fill: -1).Apply(images, new Generator(3)).ToArray<float>();
        var t = new TimeMasking(6, fill: -1).Apply(images, new Generator(3)).ToArray<float>();
        for (int i = 0; i < 8; i++)
        {
            // A frequency mask covers whole rows, at most 4 of them and contiguous; a time mask whole columns, at most 6.
            var rows = Enumerable.Range(0, 10).Where(r => f[i * 200 + r * 20] == -1).ToArray();
            Assert.True(rows.Length <= 4 && (rows.Length == 0 || rows[^1] - rows[0] == rows.Length - 1));
            Assert.All(rows, r => Assert.All(Enumerable.Range(0, 20), c => Assert.Equal(-1, f[i * 200 + r * 20 + c])));
            Assert.Equal(200 - 20 * rows.Length, Enumerable.Range(0, 200).Count(k => f[i * 200 + k] == 1));
            var columns = Enumerable.Range(0, 20).Where(c => t[i * 200 + c] == -1).ToArray();
            Assert.True(columns.Length <= 6 && (columns.Length == 0 || columns[^1] - columns[0] == columns.Length - 1));
            Assert.Equal(200 - 10 * columns.Length, Enumerable.Range(0, 200).Count(k => t[i * 200 + k] == 1));
        }
        // Seeded: the same generator state gives the same masks.
        Assert.Equal(f, new FrequencyMasking(4, fill: -1).Apply(images, new Generator(3)).ToArray<float>());
    }

    [Fact]
    public void Stft_KeepsLeadingDimensionsAndTakesFloat64()
    {
        var x = Tensor.Randn([2, 3, 500], DType.Float64, new Generator(8));
        var s = AudioFunctional.Stft(x, 64, 16, window: Windows.Hann(64, dtype: DType.Float64));
        Assert.Equal([2, 3, 33, 32], s.Shape);
        Assert.Equal(DType.Complex64, s.DType);
        var p = AudioFunctional.Spectrogram(x, Windows.Hann(64, dtype: DType.Float64), 64, 16);
        Assert.Equal(DType.Float64, p.DType);
        AudioReference.Close(p, s.Abs().To(DType.Float64).Pow(2), "power = |stft|²", rtol: 1e-5, atol: 1e-6);
    }
}
