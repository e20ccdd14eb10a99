using Nabla.Audio;
using Nabla.Tensors;

namespace Nabla.Tests.Audio;

/// <summary>The librosa preset and functions against librosa 0.10 values re-derived with numpy from librosa's published
/// formulas (Reference/make_librosa_reference.py, which checks itself against values librosa publishes).</summary>
public sealed class LibrosaReferenceTests
{
    private static Tensor Ref(string name) => AudioReference.Get("librosa", name);

    [Fact]
    public void DefaultMelBasis_MatchesLibrosaFiltersMel()
    {
        var basis = AudioFunctional.LibrosaMelBasis(22050, 2048);
        Assert.Equal([128, 1025], basis.Shape);
        AudioReference.Close(Ref("mel.default_rows"), basis.IndexSelect(0, Tensor.FromArray<long>([0, 1, 2, 63, 127])), "rows", atol: 1e-6);
        // librosa's documentation: the first filter starts 0, 0.016182853208219942, 0.032365706416439884, …
        Assert.Equal(0.016182853208219942, basis[0, 1], 7);
        Assert.Equal(0.032365706416439884, basis[0, 2], 7);
    }

    [Fact]
    public void HtkAndUnnormalizedBases_MatchLibrosa()
    {
        AudioReference.Close(Ref("mel.htk_16k"), AudioFunctional.LibrosaMelBasis(16000, 512, 40, fMax: 8000, htk: true), "htk", atol: 1e-6);
        AudioReference.Close(Ref("mel.slaney_nonorm"), AudioFunctional.LibrosaMelBasis(16000, 400, 32, fMin: 50, norm: MelNorm.None), "no norm", atol: 1e-6);
    }

    [Fact]
    public void PresetMelSpectrogram_MatchesLibrosaMelspectrogram() =>
        AudioReference.Close(Ref("melspec.chirp"), AudioPreset.Librosa.MelSpectrogram(22050).Call(Ref("in.chirp")), "melspectrogram", atol: 1e-5);

    [Fact]
    public void PresetDecibels_MatchPowerToDb() =>
        AudioReference.Close(Ref("db.chirp"), AudioPreset.Librosa.Decibels().Call(Ref("melspec.chirp")), "power_to_db", atol: 1e-6);

    [Fact]
    public void PowerToDb_WithReferenceAndTopDb_MatchesLibrosa()
    {
        var s = Ref("melspec.noise_htk");
        AudioReference.Close(Ref("db.noise_htk_ref_top60"), AudioFunctional.PowerToDb(s, reference: s.Max().Item(), topDb: 60), "ref=max, top_db 60", atol: 1e-6);
    }

    [Fact]
    public void CustomMelSpectrogram_MatchesLibrosa()
    {
        var preset = AudioPreset.Librosa.With(nFft: 512, hopLength: 128, nMels: 40) with { MelScale = MelScaleKind.Htk, FMax = 8000 };
        AudioReference.Close(Ref("melspec.noise_htk"), preset.MelSpectrogram(16000).Call(Ref("in.noise")), "htk 16 kHz", atol: 1e-5);
    }

    [Fact]
    public void PresetMfcc_MatchesLibrosaMfcc()
    {
        AudioReference.Close(Ref("mfcc.chirp"), AudioPreset.Librosa.Mfcc(22050).Call(Ref("in.chirp")), "mfcc", atol: 2e-5);
        var liftered = AudioPreset.Librosa with { NMfcc = 13, Lifter = 22 };
        AudioReference.Close(Ref("mfcc.chirp_lifter22"), liftered.Mfcc(22050).Call(Ref("in.chirp")), "lifter 22", atol: 2e-5);
        AudioReference.Close(Ref("mfcc.chirp"), AudioFunctional.Mfcc(Ref("db.chirp"), 20), "mfcc from S", atol: 1e-5);
    }

    [Fact]
    public void Delta_MatchesSavitzkyGolayInterp()
    {
        var mfcc = Ref("mfcc.chirp");
        AudioReference.Close(Ref("delta.mfcc"), AudioFunctional.Delta(mfcc), "width 9", atol: 1e-5);
        AudioReference.Close(Ref("delta2.mfcc"), AudioFunctional.Delta(mfcc, order: 2), "order 2", atol: 1e-5);
        AudioReference.Close(Ref("delta.w5.mfcc"), AudioFunctional.Delta(mfcc, width: 5), "width 5", atol: 1e-5);
    }
}
