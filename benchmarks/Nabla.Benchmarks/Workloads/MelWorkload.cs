using Nabla.Audio;
using Nabla.Audio.Transforms;
using Nabla.Tensors;
using TorchSharp;

namespace Nabla.Benchmarks.Workloads;

/// <summary>The log-free mel front end of a speech model: 60 s of 16 kHz audio, n_fft 512, win_length 400 (periodic Hann),
/// hop 160, centred with reflect padding, power 2, 80 HTK mel bands up to 8 kHz.</summary>
/// <remarks>Nabla runs its <see cref="MelSpectrogram"/> transform (fused framing, window, real FFT and |X|² in SIMD lanes,
/// then one GEMM); TorchSharp runs torch.stft(return_complex) → abs() → pow(2) → matmul with the same filterbank, as
/// torchaudio's MelSpectrogram does. Both see the same signal (a chirp plus noise) without gradients; the extras report
/// the largest difference of their outputs, in millionths of the peak.</remarks>
internal sealed class MelWorkload : IWorkload
{
    private const int SampleRate = 16000, Seconds = 60, NFft = 512, WinLength = 400, Hop = 160, NMels = 80;

    private MelSpectrogram? _mel;
    private Tensor? _audio;
    private torch.Tensor? _torchAudio, _torchWindow, _torchFilterbank;

    public string Id => "mel";

    public string Description => "Mel spectrogram of 60 s at 16 kHz: n_fft 512, win 400 Hann, hop 160, reflect, power 2, 80 HTK mels to 8 kHz";

    public int DefaultSteps => 60;

    public void Setup(int threads, bool withTorch)
    {
        int n = SampleRate * Seconds;
        var generator = new Generator(16000);
        var samples = new float[n];
        for (int i = 0; i < n; i++)
        {
            // A chirp sweeping 100 Hz → 7.9 kHz every 10 s, plus noise.
            double t = (double)i / SampleRate % 10;
            samples[i] = (float)(0.5 * Math.Sin(2 * Math.PI * (100 * t + (7900 - 100) * t * t / 20)) + 0.05 * generator.NextNormal());
        }
        _audio = Tensor.FromArray<float>(samples, [1, n]);
        _mel = new MelSpectrogram(SampleRate, NFft, WinLength, Hop, fMax: 8000, nMels: NMels);
        if (!withTorch) return;

        _torchAudio = torch.tensor(_audio.ToArray<float>(), [1, n]);
        _torchWindow = torch.hann_window(WinLength);
        // [n_mels, bins]: the same filterbank, transposed for a left multiplication.
        _torchFilterbank = torch.tensor(_mel.MelScale.Filterbank.T.Contiguous().ToArray<float>(), [NMels, NFft / 2 + 1]);
    }

    public void NablaStep() => Nabla();

    public void TorchStep()
    {
        using var scope = torch.NewDisposeScope();
        Torch();
    }

    public void AddExtras(WorkloadRun run)
    {
        run.Extra["frames"] = _audio!.Shape[1] / Hop + 1;
        if (_torchAudio is null) return;
        using var scope = torch.NewDisposeScope();
        float[] a = Nabla().ToArray<float>(), b = Torch().data<float>().ToArray();
        double peak = b.Max(v => Math.Abs((double)v));
        // In millionths of the largest value: float32 rounding of two different FFTs and summation orders.
        run.Extra["max_difference_ppm_of_peak"] = a.Zip(b, (p, q) => Math.Abs((double)p - q)).Max() / peak * 1e6;
    }

    private Tensor Nabla()
    {
        using var _ = Tensor.NoGrad();
        return _mel!.Call(_audio!);
    }

    private torch.Tensor Torch()
    {
        using var _ = torch.no_grad();
        var spec = torch.stft(_torchAudio!, NFft, Hop, WinLength, _torchWindow, center: true, pad_mode: PaddingModes.Reflect, return_complex: true);
        return torch.matmul(_torchFilterbank!, spec.abs().pow(2));
    }

    public void Dispose()
    {
        _torchAudio?.Dispose();
        _torchWindow?.Dispose();
        _torchFilterbank?.Dispose();
    }
}
