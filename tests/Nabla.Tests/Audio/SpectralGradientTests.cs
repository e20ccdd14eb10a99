using Nabla.Audio;
using Nabla.Autograd;
using Nabla.Tensors;

namespace Nabla.Tests.Audio;

/// <summary>Finite-difference gradient checks (float64, central differences, random upstream gradient) of every
/// differentiable audio transform, through padding modes, odd and Bluestein FFT lengths, one- and two-sided spectra.</summary>
public sealed class SpectralGradientTests
{
    private static Tensor Signal(int batch, int length, long seed) =>
        Tensor.Randn([batch, length], DType.Float64, new Generator(seed)).RequiresGrad_();

    private static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var result = GradCheck.Run(f, inputs);
        Assert.True(result.Passed, result.ToString());
    }

    public static TheoryData<int, int, PadMode, bool> StftCases => new()
    {
        { 16, 4, PadMode.Reflect, true },     // radix 4, packed real FFT
        { 12, 5, PadMode.Constant, true },    // radix 3·4 half length, zero padding
        { 15, 4, PadMode.Replicate, true },   // odd n_fft
        { 37, 9, PadMode.Circular, true },    // prime > 31: Bluestein
        { 10, 3, PadMode.Reflect, false },    // two-sided
    };

    [Theory, MemberData(nameof(StftCases))]
    public void Stft_MatchesFiniteDifferences(int nFft, int hop, PadMode pad, bool onesided)
    {
        var window = Windows.Hann(nFft - 2, dtype: DType.Float64);
        Check(x => AudioFunctional.Stft(x[0], nFft, hop, nFft - 2, window, padMode: pad, onesided: onesided, returnComplex: false), Signal(2, 41, nFft));
    }

    [Fact]
    public void Stft_Uncentered_Normalized_MatchesFiniteDifferences() =>
        Check(x => AudioFunctional.Stft(x[0], 8, 3, window: Windows.Hamming(8, dtype: DType.Float64), center: false, normalized: true, returnComplex: false),
            Signal(1, 30, 3));

    [Theory]
    [InlineData(2.0, 16, PadMode.Reflect)]
    [InlineData(1.0, 9, PadMode.Constant)]
    [InlineData(1.5, 37, PadMode.Reflect)]
    public void Spectrogram_MatchesFiniteDifferences(double power, int nFft, PadMode pad)
    {
        var window = Windows.Hann(nFft, dtype: DType.Float64);
        Check(x => AudioFunctional.Spectrogram(x[0], window, nFft, 5, power, padMode: pad), Signal(2, 50, (long)(power * 10)));
    }

    [Theory]
    [InlineData(16, 4, true)]
    [InlineData(15, 5, true)]
    [InlineData(12, 3, false)]
    public void Istft_MatchesFiniteDifferences(int nFft, int hop, bool onesided)
    {
        int bins = onesided ? nFft / 2 + 1 : nFft;
        var spectrum = Tensor.Randn([2, bins, 7, 2], DType.Float64, new Generator(nFft)).RequiresGrad_();
        var window = Windows.Hann(nFft, dtype: DType.Float64);
        Check(x => AudioFunctional.Istft(x[0], nFft, hop, window: window, onesided: onesided), spectrum);
        // Uncentred, a Hann window's zero first sample would violate NOLA; Hamming's does not vanish.
        var hamming = Windows.Hamming(nFft, dtype: DType.Float64);
        Check(x => AudioFunctional.Istft(x[0], nFft, hop, window: hamming, onesided: onesided, length: 40, center: false), spectrum);
    }

    [Fact]
    public void MelSpectrogramDbMfccAndDeltas_MatchFiniteDifferences()
    {
        var window = Windows.Hann(32, dtype: DType.Float64);
        var fb = AudioFunctional.MelFilterbank(17, 0, 4000, 6, 8000).To(DType.Float64);
        Tensor Mel(Tensor x) => AudioFunctional.MelScale(AudioFunctional.Spectrogram(x, window, 32, 8), fb);
        var x = Signal(2, 80, 11);
        Check(v => Mel(v[0]), x);
        Check(v => AudioFunctional.MelSpectrogram(v[0], window, 32, 8, fb), x);                 // fused projection
        Check(v => AudioFunctional.MelSpectrogram(v[0], window, 32, 8, fb, power: 1), x);
        AudioReference.Close(Mel(x), AudioFunctional.MelSpectrogram(x, window, 32, 8, fb), "fused = two-step", rtol: 1e-12, atol: 1e-14);
        Check(v => AudioFunctional.PowerToDb(Mel(v[0]), topDb: 40), x);
        Check(v => AudioFunctional.Decibels(Mel(v[0]), 10, 1e-10, 0, topDb: 30, TopDbScope.Channels), x);
        Check(v => AudioFunctional.Mfcc(AudioFunctional.PowerToDb(Mel(v[0]), topDb: null), 4, lifter: 3), x);
        var features = Tensor.Randn([3, 12], DType.Float64, new Generator(5)).RequiresGrad_();
        Check(v => AudioFunctional.Delta(v[0], 5, 1), features);
        Check(v => AudioFunctional.Delta(v[0], 7, 2), features);
        Check(v => AudioFunctional.ComputeDeltas(v[0], 5), features);
        Check(v => AudioFunctional.ComputeDeltas(v[0], 7, PadMode.Reflect), features);
    }

    [Fact]
    public void Resample_MatchesFiniteDifferences() =>
        Check(x => AudioFunctional.Resample(x[0], 3, 2, lowpassFilterWidth: 3), Signal(2, 20, 9));
}
