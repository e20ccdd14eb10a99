using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>Mel-frequency cepstral coefficients of waveforms [..., time] → [..., n_mfcc, frames]: a mel spectrogram, in dB
/// (or ln(mel + 1e-6) with logMels), then the DCT-II along the mel axis (buffer "dct_mat", [n_mels, n_mfcc]) and optional
/// liftering (<c>torchaudio.transforms.MFCC</c>, the same defaults and names; librosa.feature.mfcc through
/// <see cref="AudioPreset.Mfcc"/>).</summary>
public sealed class Mfcc : Module<Tensor, Tensor>
{
    private readonly bool logMels;
    private readonly double lifter;

    /// <summary>Creates the transform.</summary>
    /// <param name="sampleRate">The audio's sample rate (for the default mel spectrogram).</param>
    /// <param name="nMfcc">Coefficients kept, at most n_mels.</param>
    /// <param name="norm">The DCT's scaling.</param>
    /// <param name="logMels">ln(mel + 1e-6) instead of decibels.</param>
    /// <param name="melSpectrogram">The mel stage; default torchaudio's MelSpectrogram(sampleRate).</param>
    /// <param name="toDb">The decibel stage; default AmplitudeToDB("power", top_db = 80), as torchaudio's MFCC.</param>
    /// <param name="lifter">L &gt; 0 scales coefficient c by 1 + (L/2)·sin(π(c + 1)/L) (librosa); 0 leaves them (torchaudio has none).</param>
    public Mfcc(int sampleRate = 16000, int nMfcc = 40, DctNorm norm = DctNorm.Ortho, bool logMels = false, MelSpectrogram? melSpectrogram = null,
        AmplitudeToDb? toDb = null, double lifter = 0)
    {
        MelSpectrogram = RegisterModule("MelSpectrogram", melSpectrogram ?? new MelSpectrogram(sampleRate));
        ToDb = RegisterModule("amplitude_to_DB", toDb ?? new AmplitudeToDb(SpectrumType.Power, topDb: 80));
        int nMels = MelSpectrogram.MelScale.NMels;
        if (nMfcc > nMels) throw new ArgumentOutOfRangeException(nameof(nMfcc), nMfcc, $"Mfcc: cannot keep more coefficients than the {nMels} mel bands.");
        Dct = RegisterBuffer("dct_mat", AudioFunctional.CreateDct(nMfcc, nMels, norm));
        this.logMels = logMels;
        this.lifter = lifter;
    }

    /// <summary>The mel stage.</summary>
    public MelSpectrogram MelSpectrogram { get; }

    /// <summary>The decibel stage.</summary>
    public AmplitudeToDb ToDb { get; }

    /// <summary>The DCT-II matrix [n_mels, n_mfcc] (buffer "dct_mat").</summary>
    public Tensor Dct { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var mel = MelSpectrogram.Call(input);
        var logMel = logMels ? mel.Add(1e-6).Log() : ToDb.Call(mel);
        var mfcc = Dct.T.To(logMel.DType).Contiguous().MatMul(logMel);
        if (lifter <= 0) return mfcc;
        int n = Dct.Shape[1];
        var scale = new double[n];
        for (int c = 0; c < n; c++) scale[c] = 1 + lifter / 2 * Math.Sin(Math.PI * (c + 1) / lifter);
        return mfcc.Mul(Tensor.FromArray<double>(scale, [n, 1]).To(mfcc.DType));
    }
}
