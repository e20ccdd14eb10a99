using Nabla.Audio.Transforms;

namespace Nabla.Audio;

/// <summary>The settings of a reference library's audio front end: window, STFT, mel filterbank, decibels and MFCC, so a
/// spectrogram computed with Nabla equals the reference's at the file's own sample rate.</summary>
/// <remarks><see cref="Librosa"/> is librosa 0.10/0.11's defaults (melspectrogram, power_to_db, mfcc); <see cref="Torchaudio"/>
/// is torchaudio's (MelSpectrogram, AmplitudeToDB, MFCC). docs/audio.md lists every value and the function it comes from.</remarks>
public sealed record AudioPreset
{
    /// <summary>"librosa" or "torchaudio".</summary>
    public required string Name { get; init; }

    /// <summary>FFT length N.</summary>
    public required int NFft { get; init; }

    /// <summary>Samples between frames.</summary>
    public required int HopLength { get; init; }

    /// <summary>What the hop defaults to when n_fft changes: n_fft / HopDivisor (librosa 4, torchaudio 2).</summary>
    public required int HopDivisor { get; init; }

    /// <summary>The window function (periodic, of n_fft samples).</summary>
    public WindowFunction Window { get; init; } = WindowFunction.Hann;

    /// <summary>Whether frames are centred.</summary>
    public bool Center { get; init; } = true;

    /// <summary>How the centre padding is made.</summary>
    public required PadMode PadMode { get; init; }

    /// <summary>The spectrogram's exponent.</summary>
    public double Power { get; init; } = 2.0;

    /// <summary>Mel bands.</summary>
    public int NMels { get; init; } = 128;

    /// <summary>Lowest mel frequency.</summary>
    public double FMin { get; init; }

    /// <summary>Highest mel frequency; null for the Nyquist frequency (sr/2 for librosa, ⌊sr/2⌋ for torchaudio).</summary>
    public double? FMax { get; init; }

    /// <summary>The Hz ↔ mel mapping.</summary>
    public required MelScaleKind MelScale { get; init; }

    /// <summary>Triangle scaling.</summary>
    public required MelNorm MelNorm { get; init; }

    /// <summary>Whether the filterbank is librosa's (bins at k·sr/n_fft) rather than torchaudio's (linspace(0, ⌊sr/2⌋, bins)).</summary>
    public required bool LibrosaFilterbank { get; init; }

    /// <summary>The decibel conversion's floor on power.</summary>
    public double Amin { get; init; } = 1e-10;

    /// <summary>The power that maps to 0 dB.</summary>
    public double Reference { get; init; } = 1.0;

    /// <summary>The dynamic range kept by the decibel conversion (librosa 80 dB; torchaudio none).</summary>
    public double? TopDb { get; init; }

    /// <summary>Where the decibel conversion takes its peak.</summary>
    public required TopDbScope TopDbScope { get; init; }

    /// <summary>MFCC coefficients.</summary>
    public required int NMfcc { get; init; }

    /// <summary>The dynamic range of the dB mel spectrogram inside MFCC (80 in both).</summary>
    public double MfccTopDb { get; init; } = 80;

    /// <summary>The MFCC DCT's scaling.</summary>
    public DctNorm DctNorm { get; init; } = DctNorm.Ortho;

    /// <summary>MFCC liftering (0: none).</summary>
    public double Lifter { get; init; }

    /// <summary>librosa 0.10/0.11: n_fft 2048, hop 512, periodic Hann, centred with zero padding, power 2, 128 Slaney mels with
    /// Slaney area normalisation from 0 to sr/2, power_to_db(ref 1, amin 1e-10, top_db 80), 20 MFCC (DCT-II ortho, no lifter).</summary>
    public static AudioPreset Librosa { get; } = new()
    {
        Name = "librosa", NFft = 2048, HopLength = 512, HopDivisor = 4, PadMode = PadMode.Constant, MelScale = MelScaleKind.Slaney,
        MelNorm = MelNorm.Slaney, LibrosaFilterbank = true, TopDb = 80, TopDbScope = TopDbScope.Spectrogram, NMfcc = 20,
    };

    /// <summary>torchaudio: n_fft 400, hop 200, periodic Hann, centred with reflect padding, power 2, 128 HTK mels without
    /// normalisation from 0 to ⌊sr/2⌋, AmplitudeToDB("power", top_db None, amin 1e-10), 40 MFCC (top_db 80, DCT-II ortho).</summary>
    public static AudioPreset Torchaudio { get; } = new()
    {
        Name = "torchaudio", NFft = 400, HopLength = 200, HopDivisor = 2, PadMode = PadMode.Reflect, MelScale = MelScaleKind.Htk,
        MelNorm = MelNorm.None, LibrosaFilterbank = false, TopDb = null, TopDbScope = TopDbScope.Channels, NMfcc = 40,
    };

    /// <summary>The preset named <paramref name="name"/> ("librosa" or "torchaudio", any case).</summary>
    public static AudioPreset Parse(string name) => name?.ToUpperInvariant() switch
    {
        "LIBROSA" => Librosa,
        "TORCHAUDIO" => Torchaudio,
        _ => throw new ArgumentException($"unknown audio preset '{name}'; expected librosa or torchaudio", nameof(name)),
    };

    /// <summary>This preset with another n_fft (the window follows, and the hop unless given), hop or mel count.</summary>
    public AudioPreset With(int? nFft = null, int? hopLength = null, int? nMels = null)
    {
        int n = nFft ?? NFft;
        return this with { NFft = n, HopLength = hopLength ?? (nFft is null ? HopLength : Math.Max(1, n / HopDivisor)), NMels = nMels ?? NMels };
    }

    /// <summary>The mel spectrogram transform at <paramref name="sampleRate"/>.</summary>
    public MelSpectrogram MelSpectrogram(int sampleRate)
    {
        var spectrogram = new Spectrogram(NFft, NFft, HopLength, 0, Window, Power, normalized: false, Center, PadMode);
        var fb = LibrosaFilterbank
            ? AudioFunctional.LibrosaMelBasis(sampleRate, NFft, NMels, FMin, FMax, htk: MelScale == MelScaleKind.Htk, MelNorm).T.Contiguous()
            : AudioFunctional.MelFilterbank(NFft / 2 + 1, FMin, FMax ?? sampleRate / 2, NMels, sampleRate, MelNorm, MelScale);
        return new MelSpectrogram(spectrogram, new Transforms.MelScale(fb), sampleRate);
    }

    /// <summary>The decibel conversion of a power spectrogram (librosa.power_to_db or torchaudio's AmplitudeToDB).</summary>
    public AmplitudeToDb Decibels() => new(SpectrumType.Power, TopDb, Amin, Reference, TopDbScope);

    /// <summary>The MFCC transform at <paramref name="sampleRate"/> (librosa.feature.mfcc or torchaudio's MFCC).</summary>
    public Mfcc Mfcc(int sampleRate) =>
        new(sampleRate, NMfcc, DctNorm, logMels: false, MelSpectrogram(sampleRate),
            new AmplitudeToDb(SpectrumType.Power, MfccTopDb, Amin, Reference, TopDbScope), Lifter);
}
