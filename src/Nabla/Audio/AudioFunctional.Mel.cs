using Nabla.Tensors;

namespace Nabla.Audio;

public static partial class AudioFunctional
{
    /// <summary>Hz → mel on the HTK or Slaney scale (torchaudio's _hz_to_mel, librosa.hz_to_mel).</summary>
    /// <remarks>HTK: m = 2595·log10(1 + f/700). Slaney: m = 3f/200 below 1 kHz, 15 + ln(f/1000)·27/ln 6.4 from 1 kHz.</remarks>
    public static double HzToMel(double hz, MelScaleKind scale = MelScaleKind.Htk)
    {
        if (scale == MelScaleKind.Htk) return 2595.0 * Math.Log10(1.0 + hz / 700.0);
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        double logStep = Math.Log(6.4) / 27.0;
        return hz >= minLogHz ? minLogMel + Math.Log(hz / minLogHz) / logStep : hz / fSp;
    }

    /// <summary>Mel → Hz, the inverse of <see cref="HzToMel"/> (torchaudio's _mel_to_hz, librosa.mel_to_hz).</summary>
    public static double MelToHz(double mel, MelScaleKind scale = MelScaleKind.Htk)
    {
        if (scale == MelScaleKind.Htk) return 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        double logStep = Math.Log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.Exp(logStep * (mel - minLogMel)) : fSp * mel;
    }

    /// <summary>Triangular mel filters over STFT bins (<c>torchaudio.functional.melscale_fbanks</c>), [nFreqs, nMels].</summary>
    /// <remarks>Bin frequencies are linspace(0, ⌊sr/2⌋, nFreqs); band edges f[0 … nMels+1] are nMels + 2 points evenly spaced in
    /// mel between f_min and f_max; filter m is max(0, min((f − f[m])/(f[m+1] − f[m]), (f[m+2] − f)/(f[m+2] − f[m+1]))),
    /// times 2/(f[m+2] − f[m]) with Slaney normalisation. Computed in double, returned as float32.</remarks>
    public static Tensor MelFilterbank(int nFreqs, double fMin, double fMax, int nMels, int sampleRate, MelNorm norm = MelNorm.None,
        MelScaleKind scale = MelScaleKind.Htk)
    {
        CheckMel("MelFilterbank", nFreqs, nMels, fMin, fMax, sampleRate);
        int nyquist = sampleRate / 2;
        var freqs = new double[nFreqs];
        for (int k = 0; k < nFreqs; k++) freqs[k] = nFreqs == 1 ? 0 : (double)nyquist * k / (nFreqs - 1);
        var w = Triangles(freqs, BandEdges(fMin, fMax, nMels, scale), norm);
        var fb = new float[nFreqs * nMels];
        for (int m = 0; m < nMels; m++)
            for (int k = 0; k < nFreqs; k++) fb[k * nMels + m] = (float)w[m, k];
        return Tensor.FromArray<float>(fb, [nFreqs, nMels]);
    }

    /// <summary>librosa's mel basis (<c>librosa.filters.mel</c>), [nMels, 1 + nFft/2].</summary>
    /// <remarks>As <see cref="MelFilterbank"/> but with bin frequencies k·sr/n_fft (numpy's rfftfreq), f_max defaulting to sr/2,
    /// Slaney scale and normalisation by default, and librosa's orientation. Computed in double, returned as float32
    /// (librosa's dtype).</remarks>
    public static Tensor LibrosaMelBasis(int sampleRate, int nFft, int nMels = 128, double fMin = 0, double? fMax = null,
        bool htk = false, MelNorm norm = MelNorm.Slaney)
    {
        int nFreqs = nFft / 2 + 1;
        double top = fMax ?? sampleRate / 2.0;
        CheckMel("LibrosaMelBasis", nFreqs, nMels, fMin, top, sampleRate);
        var freqs = new double[nFreqs];
        for (int k = 0; k < nFreqs; k++) freqs[k] = (double)k * sampleRate / nFft;
        var w = Triangles(freqs, BandEdges(fMin, top, nMels, htk ? MelScaleKind.Htk : MelScaleKind.Slaney), norm);
        var basis = new float[nMels * nFreqs];
        for (int m = 0; m < nMels; m++)
            for (int k = 0; k < nFreqs; k++) basis[m * nFreqs + k] = (float)w[m, k];
        return Tensor.FromArray<float>(basis, [nMels, nFreqs]);
    }

    /// <summary>mel[..., m, t] = Σ_k fb[k, m]·S[..., k, t] (<c>torchaudio.transforms.MelScale</c>) for S [..., nFreqs, time] and
    /// fb [nFreqs, nMels]: one GEMM, fbᵀ·S.</summary>
    public static Tensor MelScale(Tensor spectrogram, Tensor filterbank)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        ArgumentNullException.ThrowIfNull(filterbank);
        if (filterbank.Dim != 2 || spectrogram.Dim < 2 || spectrogram.Shape[^2] != filterbank.Shape[0])
            throw new ArgumentException($"MelScale: the spectrogram [..., freq, time] must have as many frequency bins as the filterbank [freq, n_mels] has rows; got [{string.Join(", ", spectrogram.Shape)}] and [{string.Join(", ", filterbank.Shape)}].");
        var fbT = filterbank.T.To(spectrogram.DType).Contiguous();   // [nMels, nFreqs]
        return fbT.MatMul(spectrogram);
    }

    /// <summary>The mel spectrogram: <see cref="MelScale"/> of <see cref="Spectrogram"/> with torchaudio's defaults
    /// (<c>torchaudio.transforms.MelSpectrogram</c>); [..., nMels, frames].</summary>
    public static Tensor MelSpectrogram(Tensor waveform, int sampleRate, int nFft = 400, int? winLength = null, int? hopLength = null,
        double fMin = 0, double? fMax = null, int nMels = 128, WindowFunction window = WindowFunction.Hann, double power = 2.0,
        bool center = true, PadMode padMode = PadMode.Reflect, MelNorm norm = MelNorm.None, MelScaleKind melScale = MelScaleKind.Htk)
    {
        int win = winLength ?? nFft;
        return MelSpectrogram(waveform, Windows.Create(window, win, periodic: true, waveform.DType), nFft, hopLength ?? win / 2,
            MelFilterbank(nFft / 2 + 1, fMin, fMax ?? sampleRate / 2, nMels, sampleRate, norm, melScale), power, center: center, padMode: padMode);
    }

    private static void CheckMel(string op, int nFreqs, int nMels, double fMin, double fMax, int sampleRate)
    {
        if (nFreqs < 1) throw new ArgumentOutOfRangeException(nameof(nFreqs), nFreqs, $"{op}: the number of frequency bins must be positive.");
        if (nMels < 1) throw new ArgumentOutOfRangeException(nameof(nMels), nMels, $"{op}: n_mels must be positive.");
        if (sampleRate < 1) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"{op}: the sample rate must be positive.");
        if (!(fMin >= 0) || !(fMax > fMin))
            throw new ArgumentOutOfRangeException(nameof(fMin), $"{op}: need 0 ≤ f_min < f_max; got f_min = {fMin}, f_max = {fMax}.");
    }

    /// <summary>nMels + 2 frequencies evenly spaced in mel from f_min to f_max.</summary>
    private static double[] BandEdges(double fMin, double fMax, int nMels, MelScaleKind scale)
    {
        double lo = HzToMel(fMin, scale), hi = HzToMel(fMax, scale);
        var edges = new double[nMels + 2];
        for (int i = 0; i < edges.Length; i++) edges[i] = MelToHz(lo + (hi - lo) * i / (nMels + 1), scale);
        return edges;
    }

    /// <summary>w[m, k] = max(0, min(lower, upper)) for the triangle on edges m, m+1, m+2 (× 2/(f[m+2] − f[m]) with Slaney norm).</summary>
    private static double[,] Triangles(double[] freqs, double[] edges, MelNorm norm)
    {
        int nMels = edges.Length - 2;
        var w = new double[nMels, freqs.Length];
        for (int m = 0; m < nMels; m++)
        {
            double lowWidth = edges[m + 1] - edges[m], highWidth = edges[m + 2] - edges[m + 1];
            double scale = norm == MelNorm.Slaney ? 2.0 / (edges[m + 2] - edges[m]) : 1;
            for (int k = 0; k < freqs.Length; k++)
            {
                double lower = (freqs[k] - edges[m]) / lowWidth, upper = (edges[m + 2] - freqs[k]) / highWidth;
                w[m, k] = Math.Max(0, Math.Min(lower, upper)) * scale;
            }
        }
        return w;
    }
}
