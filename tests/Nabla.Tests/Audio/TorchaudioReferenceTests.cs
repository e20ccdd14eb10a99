using Nabla.Audio;
using Nabla.Audio.Transforms;
using Nabla.Tensors;

namespace Nabla.Tests.Audio;

/// <summary>Nabla's audio front end against values produced by Debian's torchaudio 0.13 (torch 1.13) with
/// Reference/make_torchaudio_reference.py: filterbanks, STFTs, spectrograms of a chirp, a tone and seeded noise, mel
/// spectrograms, decibels, MFCC, deltas, resampling and Griffin–Lim, all float32.</summary>
public sealed class TorchaudioReferenceTests
{
    private static Tensor Ref(string name) => AudioReference.Get("torchaudio", name);

    private static Tensor Chirp => Ref("in.chirp");

    private static Tensor Tone => Ref("in.tone");

    private static Tensor Noise => Ref("in.noise");

    [Fact]
    public void MelFilterbanks_MatchMelscaleFbanks()
    {
        AudioReference.Close(Ref("fb.htk"), AudioFunctional.MelFilterbank(129, 0, 8000, 40, 16000, MelNorm.None, MelScaleKind.Htk), "htk", atol: 2e-6);
        AudioReference.Close(Ref("fb.slaney_slaney"), AudioFunctional.MelFilterbank(129, 20, 7600, 40, 16000, MelNorm.Slaney, MelScaleKind.Slaney), "slaney", atol: 2e-6);
        AudioReference.Close(Ref("fb.htk_slaney_22050"), AudioFunctional.MelFilterbank(129, 0, 11025, 32, 22050, MelNorm.Slaney, MelScaleKind.Htk), "22050 Hz", atol: 2e-6);
    }

    [Fact]
    public void Spectrogram_OfAChirp_MatchesTorchaudio() =>
        AudioReference.Close(Ref("spec.chirp"), new Spectrogram(400, hopLength: 200).Call(Chirp), "power spectrogram");

    [Fact]
    public void Spectrogram_MagnitudeWithShortWindow_MatchesTorchaudio() =>
        AudioReference.Close(Ref("spec.tone_magnitude"), new Spectrogram(512, winLength: 400, hopLength: 160, power: 1).Call(Tone), "magnitude");

    [Fact]
    public void Spectrogram_HammingConstantPaddingNormalized_MatchesTorchaudio() =>
        AudioReference.Close(Ref("spec.noise_hamming_constant_normalized"),
            new Spectrogram(256, hopLength: 64, window: WindowFunction.Hamming, normalized: true, padMode: PadMode.Constant).Call(Noise), "hamming");

    [Fact]
    public void Stft_MixedRadixLength100_MatchesTorchStft() =>
        AudioReference.Close(Ref("stft.chirp_100"),
            AudioFunctional.Stft(Chirp.Narrow(0, 0, 1000), 100, 25, window: Windows.Hann(100), returnComplex: false), "n_fft 100");

    [Fact]
    public void Stft_PrimeLength97Uncentered_MatchesTorchStft() =>
        AudioReference.Close(Ref("stft.noise_97_uncentered"),
            AudioFunctional.Stft(Noise, 97, 30, window: Windows.Hann(97), center: false).ViewAsReal(), "n_fft 97 (Bluestein)");

    [Fact]
    public void Stft_TwoSidedBlackman_MatchesTorchStft() =>
        AudioReference.Close(Ref("stft.tone_twosided_blackman"),
            AudioFunctional.Stft(Tone.Narrow(0, 0, 400), 64, 32, window: Windows.Blackman(64), onesided: false).ViewAsReal(), "two-sided");

    [Fact]
    public void Istft_WithLength_MatchesTorchIstft()
    {
        var spec = AudioFunctional.Stft(Chirp, 400, 100, window: Windows.Hann(400));
        var y = AudioFunctional.Istft(spec, 400, 100, window: Windows.Hann(400), length: 3777);
        AudioReference.Close(Ref("istft.chirp_length"), y, "istft", atol: 1e-6);
    }

    [Fact]
    public void MelSpectrogram_Defaults_MatchTorchaudio() =>
        AudioReference.Close(Ref("mel.chirp"), new MelSpectrogram(16000).Call(Chirp), "defaults");

    [Fact]
    public void MelSpectrogram_Batch_MatchesTorchaudio() =>
        AudioReference.Close(Ref("mel.batch"),
            new MelSpectrogram(16000, 512, winLength: 400, hopLength: 160, nMels: 80, fMax: 8000).Call(Tensor.Stack([Noise, Tone])), "batch");

    [Fact]
    public void MelSpectrogram_SlaneyScaleAndNorm_MatchesTorchaudio() =>
        AudioReference.Close(Ref("mel.slaney"),
            new MelSpectrogram(16000, 1024, hopLength: 256, nMels: 32, fMin: 30, norm: MelNorm.Slaney, melScale: MelScaleKind.Slaney).Call(Chirp), "slaney");

    [Fact]
    public void AmplitudeToDb_MatchesTorchaudio()
    {
        AudioReference.Close(Ref("db.mel_chirp_top80"), new AmplitudeToDb(SpectrumType.Power, topDb: 80).Call(Ref("mel.chirp")), "top_db 80", atol: 1e-6);
        AudioReference.Close(Ref("db.mel_batch_top60"), new AmplitudeToDb(SpectrumType.Power, topDb: 60).Call(Ref("mel.batch")), "batch, top_db 60", atol: 1e-6);
        AudioReference.Close(Ref("db.tone_magnitude"), new AmplitudeToDb(SpectrumType.Magnitude).Call(Ref("spec.tone_magnitude")), "magnitude", atol: 1e-6);
    }

    [Fact]
    public void CreateDct_MatchesTorchaudio()
    {
        // torchaudio evaluates the cosines in float32: its zeros are ±3e-7.
        AudioReference.Close(Ref("dct.13_40_ortho"), AudioFunctional.CreateDct(13, 40, DctNorm.Ortho), "ortho", atol: 2e-6);
        AudioReference.Close(Ref("dct.8_16_none"), AudioFunctional.CreateDct(8, 16, DctNorm.None), "none", atol: 2e-6);
    }

    [Fact]
    public void Mfcc_MatchesTorchaudio()
    {
        AudioReference.Close(Ref("mfcc.chirp"),
            new Mfcc(16000, 13, melSpectrogram: new MelSpectrogram(16000, 400, hopLength: 160, nMels: 40)).Call(Chirp), "13 of 40", atol: 2e-5);
        AudioReference.Close(Ref("mfcc.noise_default"), new Mfcc(16000).Call(Noise), "defaults", atol: 2e-5);
        AudioReference.Close(Ref("mfcc.chirp_logmels"),
            new Mfcc(16000, 20, logMels: true, melSpectrogram: new MelSpectrogram(16000, nMels: 64)).Call(Chirp), "log mels", atol: 2e-5);
    }

    [Fact]
    public void ComputeDeltas_MatchesTorchaudio()
    {
        AudioReference.Close(Ref("deltas.mfcc_chirp"), new ComputeDeltas().Call(Ref("mfcc.chirp")), "win 5 replicate", atol: 1e-6);
        AudioReference.Close(Ref("deltas.mfcc_chirp_w7_reflect"), new ComputeDeltas(7, PadMode.Reflect).Call(Ref("mfcc.chirp")), "win 7 reflect", atol: 1e-6);
    }

    [Fact]
    public void Resample_MatchesTorchaudio()
    {
        AudioReference.Close(Ref("resample.noise44_to_16k"), AudioFunctional.Resample(Ref("in.noise44"), 44100, 16000), "44.1 → 16 kHz", atol: 1e-5);
        AudioReference.Close(Ref("resample.tone_16k_to_22050"), new Resample(16000, 22050).Call(Tone), "16 → 22.05 kHz", atol: 1e-5);
    }

    [Fact]
    public void GriffinLim_FromOnes_MatchesTorchaudio()
    {
        var y = AudioFunctional.GriffinLim(Ref("gl.power"), Windows.Hann(256), 256, 64, 2.0, nIter: 8, momentum: 0.99, randInit: false);
        AudioReference.Close(Ref("gl.noise"), y, "8 iterations", atol: 2e-5);
    }
}
