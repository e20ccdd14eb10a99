using Nabla.Autograd.Ops;
using Nabla.Kernels.Fft;
using Nabla.Tensors;

namespace Nabla.Audio;

/// <summary>Audio transforms as functions of tensors (torchaudio.functional, torch.stft, librosa's feature functions),
/// differentiable where the references are. Signals are [..., time]; leading dimensions are batch dimensions.</summary>
public static partial class AudioFunctional
{
    /// <summary>The short-time Fourier transform X[..., k, t] = s·Σₙ w[n]·x̃[t·hop + n]·e^{−2πikn/N} (<c>torch.stft</c>), with x̃
    /// the signal padded by N/2 on each side when <paramref name="center"/>; complex64 [..., bins, frames].</summary>
    /// <param name="input">Signals [..., time], float32 (float64 is computed in double, returned as complex64 or pairs).</param>
    /// <param name="nFft">N, any length ≥ 1 (mixed-radix FFT, Bluestein for large prime factors).</param>
    /// <param name="hopLength">Samples between frames; default ⌊N/4⌋.</param>
    /// <param name="winLength">Window length ≤ N; default N.</param>
    /// <param name="window">w [winLength], zero-padded to N in the centre; default rectangular (ones), as torch.stft.</param>
    /// <param name="center">Pad N/2 samples on each side so frame t is centred on sample t·hop.</param>
    /// <param name="padMode">How the padding is made; default reflect.</param>
    /// <param name="normalized">Multiply by s = 1/√N (torch's normalized=True); else s = 1.</param>
    /// <param name="onesided">Keep bins [0, N/2] only (a real signal's spectrum is Hermitian); else all N.</param>
    /// <param name="returnComplex">Complex64 [..., bins, frames] (default), or (re, im) pairs [..., bins, frames, 2] of the
    /// input's dtype (torch's return_complex=False).</param>
    /// <remarks>Frames = 1 + ⌊(T + 2·pad − N)/hop⌋ with pad = N/2 when centred. Differentiable with respect to the input;
    /// the window is a constant.</remarks>
    public static Tensor Stft(Tensor input, int nFft, int? hopLength = null, int? winLength = null, Tensor? window = null,
        bool center = true, PadMode padMode = PadMode.Reflect, bool normalized = false, bool onesided = true, bool returnComplex = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (signals, lead) = Batched("Stft", input);
        var w = FullWindow("Stft", window, nFft, winLength, signals.DType);
        var g = SpectralArgs.Frame("Stft", signals, w, nFft, hopLength ?? nFft / 4, center, Padding(padMode), onesided);
        var y = StftOp.Apply(signals, w, g, normalized ? 1 / Math.Sqrt(nFft) : 1, returnComplex);
        return y.Reshape([.. lead, .. y.Shape.Skip(1)]);
    }

    /// <summary>The inverse STFT (<c>torch.istft</c>): overlap-added windowed inverse DFTs divided by the window envelope
    /// Σ_t w[n − t·hop]², with the centre padding cut off; [..., length].</summary>
    /// <param name="input">Complex64 [..., bins, frames] (or (re, im) pairs [..., bins, frames, 2]).</param>
    /// <param name="nFft">N.</param>
    /// <param name="hopLength">Default ⌊N/4⌋.</param>
    /// <param name="winLength">Default N.</param>
    /// <param name="window">Default rectangular; must satisfy the nonzero overlap-add condition (the envelope may not vanish).</param>
    /// <param name="center">Whether the analysis was centred.</param>
    /// <param name="normalized">Whether the analysis was normalized (then the input is multiplied by √N).</param>
    /// <param name="onesided">Whether the input holds bins [0, N/2]; default: when it has N/2 + 1 bins.</param>
    /// <param name="length">The output length (trimmed or zero-padded); default (frames − 1)·hop + N less the centre padding.</param>
    public static Tensor Istft(Tensor input, int nFft, int? hopLength = null, int? winLength = null, Tensor? window = null,
        bool center = true, bool normalized = false, bool? onesided = null, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        int core = input.DType == DType.Complex64 ? 2 : 3;
        if (input.Dim < core)
            throw new ArgumentException($"Istft: the spectrum must be [..., bins, frames]{(core == 3 ? " (re, im) pairs [..., bins, frames, 2]" : "")}; got shape [{string.Join(", ", input.Shape)}].", nameof(input));
        int[] lead = [.. input.Shape.Take(input.Dim - core)];
        var spectrum = input.Reshape([-1, .. input.Shape.Skip(input.Dim - core)]);
        bool sided = onesided ?? spectrum.Shape[1] == nFft / 2 + 1;
        var w = FullWindow("Istft", window, nFft, winLength, input.DType == DType.Complex64 ? DType.Float32 : input.DType);
        double scale = normalized ? 1 / Math.Sqrt(nFft) : 1.0 / nFft;
        var y = IstftOp.Apply(spectrum, w, nFft, hopLength ?? nFft / 4, center, sided, scale, length);
        return y.Reshape([.. lead, y.Shape[1]]);
    }

    /// <summary>|STFT|^power (<c>torchaudio.functional.spectrogram</c>), fused: no complex tensor is formed; with
    /// <paramref name="power"/> null, the complex STFT.</summary>
    /// <param name="waveform">[..., time].</param>
    /// <param name="window">w [winLength ≤ nFft], zero-padded to n_fft in the centre.</param>
    /// <param name="nFft">N.</param>
    /// <param name="hopLength">Samples between frames.</param>
    /// <param name="power">p: 1 magnitude, 2 power; null for the complex spectrum.</param>
    /// <param name="normalized">Divide by √(Σ w²) (torchaudio's normalized=True, the "window" normalization).</param>
    /// <param name="center">Pad N/2 on each side.</param>
    /// <param name="padMode">How the centre padding is made.</param>
    /// <param name="onesided">Keep bins [0, N/2].</param>
    /// <param name="pad">Zeros added on both sides before anything else (torchaudio's pad).</param>
    /// <returns>[..., bins, frames]: float of the waveform's dtype, or complex64 when <paramref name="power"/> is null.</returns>
    public static Tensor Spectrogram(Tensor waveform, Tensor window, int nFft, int hopLength, double? power = 2.0, bool normalized = false,
        bool center = true, PadMode padMode = PadMode.Reflect, bool onesided = true, int pad = 0) =>
        PowerSpectrogram(waveform, window, nFft, hopLength, power, normalized, center, padMode, onesided, pad, filterbank: null);

    /// <summary><see cref="MelScale"/>(<see cref="Spectrogram"/>(…), filterbank) in one fused pass: each tile of frames is
    /// projected onto the filterbank's bands as soon as its power spectrum is known; [..., n_mels, frames].</summary>
    /// <remarks>The same values as the two-step form (sums in another order); each mel row costs only the bins its triangle
    /// covers. Differentiable with respect to the waveform.</remarks>
    public static Tensor MelSpectrogram(Tensor waveform, Tensor window, int nFft, int hopLength, Tensor filterbank, double power = 2.0,
        bool normalized = false, bool center = true, PadMode padMode = PadMode.Reflect, int pad = 0)
    {
        ArgumentNullException.ThrowIfNull(filterbank);
        return PowerSpectrogram(waveform, window, nFft, hopLength, power, normalized, center, padMode, onesided: true, pad, filterbank);
    }

    private static Tensor PowerSpectrogram(Tensor waveform, Tensor window, int nFft, int hopLength, double? power, bool normalized,
        bool center, PadMode padMode, bool onesided, int pad, Tensor? filterbank)
    {
        ArgumentNullException.ThrowIfNull(waveform);
        ArgumentNullException.ThrowIfNull(window);
        if (pad > 0) waveform = waveform.Pad([pad, pad]);
        var (signals, lead) = Batched("Spectrogram", waveform);
        var w = FullWindow("Spectrogram", window, nFft, window.Shape[0], signals.DType);
        var g = SpectralArgs.Frame("Spectrogram", signals, w, nFft, hopLength, center, Padding(padMode), onesided);
        double norm = normalized ? 1 / Math.Sqrt(w.ToRaw(DType.Float64).Span<double>().ToArray().Sum(v => v * v)) : 1;
        Tensor y;
        if (power is null) y = StftOp.Apply(signals, w, g, norm, returnComplex: true);
        // |s·X|^p = |X_{s·w}|^p: the normalization goes into the window, so the fused kernel and its gradient stay exact.
        else y = SpectrogramOp.Apply(signals, norm == 1 ? w : w.Mul(norm), g, power.Value, filterbank);
        return y.Reshape([.. lead, .. y.Shape.Skip(1)]);
    }

    /// <summary>Flattens [..., time] to [batch, time], returning the leading shape.</summary>
    private static (Tensor Signals, int[] Lead) Batched(string op, Tensor input)
    {
        if (input.Dim == 0)
            throw new ArgumentException($"{op}: the signal must have a time dimension; got a scalar.", nameof(input));
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: dtype {input.DType.TorchName()} is not supported; expected float32 or float64 signals.", nameof(input));
        int[] lead = [.. input.Shape.Take(input.Dim - 1)];
        return (input.Reshape([-1, input.Shape[^1]]), lead);
    }

    /// <summary>The window padded to n_fft in the given dtype (rectangular of winLength when none is given).</summary>
    private static Tensor FullWindow(string op, Tensor? window, int nFft, int? winLength, DType dtype)
    {
        if (nFft < 1) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, $"{op}: n_fft must be positive.");
        int length = winLength ?? window?.Shape[0] ?? nFft;
        if (length < 1 || length > nFft)
            throw new ArgumentOutOfRangeException(nameof(winLength), length, $"{op}: win_length must be in [1, n_fft = {nFft}].");
        var w = window ?? Windows.Rectangular(length, dtype);
        if (w.Dim != 1 || w.Shape[0] != length)
            throw new ArgumentException($"{op}: the window must be 1-D of win_length = {length} samples; got shape [{string.Join(", ", w.Shape)}].", nameof(window));
        using var noGrad = Tensor.NoGrad();
        return Windows.PadCenter(w.To(dtype), nFft).Contiguous();
    }

    private static SignalPadding Padding(PadMode mode) => mode switch
    {
        PadMode.Constant => SignalPadding.Constant,
        PadMode.Reflect => SignalPadding.Reflect,
        PadMode.Replicate => SignalPadding.Replicate,
        PadMode.Circular => SignalPadding.Circular,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown pad mode"),
    };
}
