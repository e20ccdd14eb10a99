using Nabla.Audio;
using TorchSharp;

namespace Nabla.Parity.Tests.Audio;

/// <summary>Nabla's STFT, power spectrogram and inverse STFT against libtorch's torch.stft / torch.istft (TorchSharp),
/// forward values and input gradients, float32.</summary>
public sealed class StftParityTests
{
    private const double Tolerance = 1e-4;   // sums of n_fft float32 products; the FFTs round differently

    [Theory]
    [InlineData(64, 16, true, false, true)]     // power of two, reflect
    [InlineData(100, 25, false, false, true)]   // 4·25, zero padding
    [InlineData(97, 30, true, true, true)]      // prime (Bluestein), normalized
    [InlineData(48, 12, true, false, false)]    // two-sided
    public void Stft_MatchesTorch(int nFft, int hop, bool reflect, bool normalized, bool onesided)
    {
        var window = Windows.Hann(nFft);
        var torchWindow = torch.hann_window(nFft);
        Parity.Assert([[2, 300]],
            x => AudioFunctional.Stft(x[0], nFft, hop, window: window, padMode: reflect ? PadMode.Reflect : PadMode.Constant,
                normalized: normalized, onesided: onesided, returnComplex: false),
            x => torch.view_as_real(torch.stft(x[0], nFft, hop, nFft, torchWindow, center: true,
                pad_mode: reflect ? PaddingModes.Reflect : PaddingModes.Constant, normalized: normalized, onesided: onesided, return_complex: true)),
            Tolerance);
    }

    [Fact]
    public void Stft_Uncentered_WithShortWindow_MatchesTorch()
    {
        var window = Windows.Hamming(40);
        var torchWindow = torch.hamming_window(40);
        Parity.Assert([[3, 257]],
            x => AudioFunctional.Stft(x[0], 64, 20, winLength: 40, window: window, center: false, returnComplex: false),
            x => torch.view_as_real(torch.stft(x[0], 64, 20, 40, torchWindow, center: false, return_complex: true)),
            Tolerance);
    }

    [Fact]
    public void PowerSpectrogram_MatchesAbsSquaredOfTorchStft()
    {
        var window = Windows.Hann(128);
        var torchWindow = torch.hann_window(128);
        Parity.Assert([[2, 800]],
            x => AudioFunctional.Spectrogram(x[0], window, 128, 32),
            x => torch.stft(x[0], 128, 32, 128, torchWindow, center: true, pad_mode: PaddingModes.Reflect, return_complex: true).abs().pow(2),
            1e-3);
    }

    [Theory]
    [InlineData(64, 16)]
    [InlineData(60, 15)]
    public void Istft_MatchesTorch(int nFft, int hop)
    {
        var window = Windows.Hann(nFft);
        var torchWindow = torch.hann_window(nFft);
        Parity.Assert([[2, nFft / 2 + 1, 12, 2]],
            x => AudioFunctional.Istft(x[0], nFft, hop, window: window),
            x => torch.istft(torch.view_as_complex(x[0]), nFft, hop, nFft, torchWindow, center: true),
            Tolerance);
    }
}
