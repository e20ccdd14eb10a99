using System.Globalization;
using Nabla.Audio;
using Nabla.Cli.Audio;
using Nabla.Cli.Generative;
using Nabla.Cli.Lab.Plots;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Mel;

/// <summary><c>nabla lab run mel</c>: a waveform, its linear-frequency spectrogram and its mel spectrogram, the mel scale
/// on its two definitions (HTK and Slaney), and where each puts the bands of a filterbank.</summary>
internal sealed class MelExperiment : ILabExperiment
{
    private const int NFft = 512, Hop = 256, Bands = 64, PictureBands = 20;
    private const double Knee = 1_000, Floor = 100, TopDb = 60;

    private static readonly double[] TableHz = [0, 100, 250, 500, 700, 1_000, 2_000, 4_000, 8_000];
    private static readonly (double Low, double High)[] Octaves = [(125, 250), (250, 500), (500, 1_000), (1_000, 2_000), (2_000, 4_000), (4_000, 8_000)];
    private static readonly MelScaleKind[] Scales = [MelScaleKind.Htk, MelScaleKind.Slaney];

    /// <inheritdoc/>
    public string Name => "mel";

    /// <inheritdoc/>
    public string Title => "The mel scale: spectrograms as the ear spaces pitch";

    /// <inheritdoc/>
    public string Claim => "The mel scale spaces bands evenly in perceived pitch: linear in frequency below about 1 kHz and logarithmic above.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        int sampleRate = TestSignal.SampleRate, nyquist = sampleRate / 2;
        var sound = TestSignal.Make(allowSpeech: context.Scale != LabScale.Smoke, context.Random(1));
        var x = sound.Samples;
        int length = x.Shape[0];
        report.Setup($"The sound: {sound.Description}.");
        report.SetupList(
            Invariant($"{length:N0} samples ({(double)length / sampleRate:F2} s). Short-time Fourier transform (`AudioFunctional.Spectrogram`): Hann window of {NFft} samples ({1000.0 * NFft / sampleRate:F0} ms), hop {Hop} ({1000.0 * Hop / sampleRate:F0} ms), power |X|², centred frames: {NFft / 2 + 1} frequency bins {(double)sampleRate / NFft:F2} Hz apart from 0 to {nyquist:N0} Hz."),
            Invariant($"Mel spectrogram (`AudioFunctional.MelSpectrogram` with `MelFilterbank`): {Bands} triangular bands from 0 to {nyquist:N0} Hz on the HTK scale, peak-normalized (torchaudio's defaults); both images in dB relative to their maximum, floored {TopDb:G3} dB below it."),
            Invariant($"The scales (`AudioFunctional.HzToMel`): HTK m = 2595·log₁₀(1 + f/700); Slaney m = 3f/200 below 1 kHz and 15 + 27·ln(f/1000)/ln 6.4 above. Band centres are measured from `MelFilterbank` on a 1 Hz grid ({Bands} bands, 0 to {nyquist:N0} Hz)."),
            context.Scale == LabScale.Smoke ? "Smoke scale always uses the synthetic signal (the tests never need espeak-ng); quick and full use espeak-ng when it is installed." : "Nothing here is trained or random except the synthetic signal's faint noise; the scale changes only whether espeak-ng may be used (never at --smoke).");

        Signal(context, report, x, sampleRate);
        var centres = Scales.ToDictionary(s => s, s => BandSpacing.Centres(Bands, sampleRate, s));
        Spectrograms(context, report, x, sampleRate, centres[MelScaleKind.Htk]);
        var exponents = ScaleSection(context, report, sampleRate, centres);

        var (verdict, reason) = MelVerdict.Judge(exponents);
        report.Conclude(verdict, reason);
        report.Change("`nabla mel SPEECH.wav --preset librosa|torchaudio --n-mels N --png OUT.png` draws the mel spectrogram of any WAV file; `nabla mfcc` its cepstral coefficients.")
            .Change("Edit `NFft`, `Hop` and `Bands` in src/Nabla.Cli/Lab/Experiments/Mel/MelExperiment.cs for other resolutions; the synthetic signal (chirp range, vowel pitch, formants) is in TestSignal.cs.")
            .Change("Install espeak-ng (`scripts/setup-audio.sh`) to analyse a spoken sentence instead of the synthetic signal at quick and full scale.");
    }

    private static void Signal(LabContext context, LabReport report, Tensor x, int sampleRate)
    {
        report.Section("The waveform");
        float[] samples = x.ToArray<float>();
        // One point per 2 samples keeps the PNG small; a 16 kHz line drawn 900 pixels wide loses nothing visible.
        int step = 2;
        double[] time = [.. Enumerable.Range(0, samples.Length / step).Select(i => (double)(i * step) / sampleRate)];
        double[] amplitude = [.. Enumerable.Range(0, samples.Length / step).Select(i => (double)samples[i * step])];
        Chart.Save(context.PathOf("waveform.png"), "The waveform x(t)", "time (s)", "amplitude", [new Chart.Series("x(t)", time, amplitude)], yLimits: (-1, 1));
        double rms = Math.Sqrt(samples.Average(v => (double)v * v));
        report.Image("waveform.png", Invariant($"The signal as the microphone (or synthesizer) gives it: {samples.Length:N0} pressure samples, RMS {rms:F3}. Loudness over time is visible; which frequencies sound is not."));
        report.Number("audio_seconds", (double)samples.Length / sampleRate).Number("audio_rms", rms);
    }

    private static void Spectrograms(LabContext context, LabReport report, Tensor x, int sampleRate, double[] htkCentres)
    {
        report.Section("Linear-frequency and mel spectrograms");
        int nyquist = sampleRate / 2, bins = NFft / 2 + 1;
        double secondsPerFrame = (double)Hop / sampleRate;
        using var _ = Tensor.NoGrad();
        var window = Windows.Hann(NFft);
        var power = AudioFunctional.Spectrogram(x, window, NFft, Hop);                                          // [bins, frames]
        var filterbank = AudioFunctional.MelFilterbank(bins, 0, nyquist, Bands, sampleRate, MelNorm.None, MelScaleKind.Htk);
        var mel = AudioFunctional.MelSpectrogram(x, window, NFft, Hop, filterbank);                              // [bands, frames]
        int frames = power.Shape[1];

        var linearDb = Decibels(power);
        SpectrogramPlot.Save(context.PathOf("spectrogram.png"), Invariant($"Spectrogram: {bins} linear frequency bins, {(double)sampleRate / NFft:F2} Hz apart"),
            linearDb, bins, frames, secondsPerFrame, "frequency (Hz)", SpectrogramPlot.Ticks(bins, 9, r => SpectrogramPlot.Hertz((double)r * sampleRate / NFft)), "dB", width: 860, height: 420);
        report.Image("spectrogram.png", "|STFT|² in dB: every row is one FFT bin, equally spaced in Hz. Half the rows lie above 4 kHz, and everything below 1 kHz, where voice pitch and the first formant live, is squeezed into the bottom eighth.");

        var melDb = Decibels(mel);
        SpectrogramPlot.Save(context.PathOf("mel-spectrogram.png"), Invariant($"Mel spectrogram: {Bands} HTK mel bands"), melDb, Bands, frames, secondsPerFrame,
            "frequency (Hz, band centres)", SpectrogramPlot.Ticks(Bands, 10, r => SpectrogramPlot.Hertz(htkCentres[r])), "dB", width: 860, height: 420);
        int linearBelow = Enumerable.Range(0, bins).Count(k => (double)k * sampleRate / NFft < Knee), melBelow = BandSpacing.Count(htkCentres, 0, Knee);
        report.Image("mel-spectrogram.png", Invariant($"The same power summed through {Bands} triangular filters evenly spaced in mel: {melBelow} of the {Bands} rows ({(double)melBelow / Bands:P0}) lie below 1 kHz, against {linearBelow} of {bins} ({(double)linearBelow / bins:P0}) in the linear spectrogram; high frequencies share a few wide bands."));
        report.Text(Invariant($"The mel spectrogram is {bins}/{Bands} = {(double)bins / Bands:F1} times smaller than the linear one, and what it drops is the fine detail at high frequencies that the ear barely resolves. This is why speech models (keyword spotting, ASR, TTS) start from it."));
        report.Number("linear_rows_below_1k_fraction", (double)linearBelow / bins).Number("mel_rows_below_1k_fraction", (double)melBelow / Bands);
    }

    private static List<MelVerdict.Exponents> ScaleSection(LabContext context, LabReport report, int sampleRate, Dictionary<MelScaleKind, double[]> centres)
    {
        int nyquist = sampleRate / 2;
        report.Section("The mel scale, HTK against Slaney");
        double htkTop = AudioFunctional.HzToMel(nyquist, MelScaleKind.Htk), slaneyTop = AudioFunctional.HzToMel(nyquist, MelScaleKind.Slaney);
        var values = new LabTable("frequency (Hz)", "HTK mel", "Slaney mel", Invariant($"HTK, share of 0–{nyquist / 1000} kHz"), Invariant($"Slaney, share of 0–{nyquist / 1000} kHz"), "linear share");
        foreach (double hz in TableHz.Where(f => f <= nyquist))
        {
            double h = AudioFunctional.HzToMel(hz, MelScaleKind.Htk), s = AudioFunctional.HzToMel(hz, MelScaleKind.Slaney);
            values.Row(LabFormat.N((long)hz), LabFormat.F(h, 1), LabFormat.F(s, 2), LabFormat.Percent(h / htkTop, 1), LabFormat.Percent(s / slaneyTop, 1), LabFormat.Percent(hz / nyquist, 1));
        }
        report.Table(values);
        report.Text(Invariant($"The two scales use different units (HTK puts 1 kHz at {AudioFunctional.HzToMel(1000, MelScaleKind.Htk):F0} mel, Slaney at {AudioFunctional.HzToMel(1000, MelScaleKind.Slaney):F0}), so a filterbank only uses their shape: band edges are evenly spaced between mel(f_min) and mel(f_max). The 'share' columns are that shape: the fraction of the bands that lie below each frequency."));
        report.Number("htk_mel_1000hz", AudioFunctional.HzToMel(1000, MelScaleKind.Htk)).Number("slaney_mel_1000hz", AudioFunctional.HzToMel(1000, MelScaleKind.Slaney));

        double[] hz10 = [.. Enumerable.Range(0, nyquist / 10 + 1).Select(i => 10.0 * i)];
        Chart.Save(context.PathOf("mel-scale.png"), Invariant($"The mel scale, as a share of the 0–{nyquist / 1000} kHz range"), "frequency (Hz)", "mel(f) / mel(f_max)",
        [
            new Chart.Series("HTK: 2595·log₁₀(1 + f/700)", hz10, [.. hz10.Select(f => AudioFunctional.HzToMel(f, MelScaleKind.Htk) / htkTop)]),
            new Chart.Series("Slaney: linear to 1 kHz, then logarithmic", hz10, [.. hz10.Select(f => AudioFunctional.HzToMel(f, MelScaleKind.Slaney) / slaneyTop)]),
            new Chart.Series("linear frequency (for comparison)", hz10, [.. hz10.Select(f => f / nyquist)]),
        ], yLimits: (0, 1.3));
        report.Image("mel-scale.png", "Mel against Hz for both definitions, each scaled to 1 at the Nyquist frequency. Both rise steeply at low frequencies and flatten above about 1 kHz: equal steps in mel are narrow in Hz at the bottom and wide at the top. Slaney's curve is a straight line up to exactly 1 kHz and a logarithm after it; HTK's is one smooth curve, bending most around its 700 Hz knee.");

        var octaves = new LabTable("octave (Hz)", Invariant($"HTK bands (of {Bands})"), Invariant($"Slaney bands (of {Bands})"), Invariant($"STFT bins (of {NFft / 2 + 1})"));
        foreach (var (low, high) in Octaves.Where(o => o.High <= nyquist))
        {
            int bins = Enumerable.Range(0, NFft / 2 + 1).Count(k => (double)k * sampleRate / NFft >= low && (double)k * sampleRate / NFft < high);
            octaves.Row(Invariant($"{low:N0}–{high:N0}"), BandSpacing.Count(centres[MelScaleKind.Htk], low, high).ToString(CultureInfo.InvariantCulture),
                BandSpacing.Count(centres[MelScaleKind.Slaney], low, high).ToString(CultureInfo.InvariantCulture), bins.ToString(CultureInfo.InvariantCulture));
        }
        report.Table(octaves);
        report.Text("Band centres per octave, counted from the filterbanks. Where a scale is linear, bands are equally wide in Hz and each octave (twice as wide as the one below) holds twice as many; where it is logarithmic, every octave holds the same number. The STFT's bins are linear everywhere.");

        var exponents = new List<MelVerdict.Exponents>();
        var fits = new LabTable("scale", Invariant($"exponent b below 1 kHz ({Floor:N0} Hz – 1 kHz)"), Invariant($"exponent b above 1 kHz (1 – {nyquist / 1000} kHz)"), "narrowest band (Hz)", "widest band (Hz)");
        foreach (var scale in Scales)
        {
            var c = centres[scale];
            string name = scale == MelScaleKind.Htk ? "HTK" : "Slaney";
            double below = BandSpacing.WidthExponent(c, Floor, Knee), above = BandSpacing.WidthExponent(c, Knee, nyquist);
            double[] widths = [.. c.Zip(c.Skip(1), (a, b) => b - a)];
            fits.Row(name, LabFormat.F(below, 3), LabFormat.F(above, 3), LabFormat.F(widths.Min(), 0), LabFormat.F(widths.Max(), 0));
            exponents.Add(new MelVerdict.Exponents(name, below, above));
            string key = name.ToLowerInvariant();
            report.Number($"{key}_width_exponent_below_1k", double.IsFinite(below) ? below : -1).Number($"{key}_width_exponent_above_1k", double.IsFinite(above) ? above : -1);
        }
        report.Table(fits);
        report.Text(Invariant($"The band width Δf (distance between neighbouring centres) against the centre frequency f, fitted as Δf ∝ f^b by least squares on log Δf = a + b·log f: b = 0 means constant widths, a linear scale; b = 1 means widths proportional to f, a logarithmic scale. Rule: the claim is supported if for both scales b ≤ {MelVerdict.Bound:G2} below 1 kHz and b ≥ {1 - MelVerdict.Bound:G2} above it (each closer to its ideal than to the other by a margin of 0.1), not supported if either scale has b ≥ {1 - MelVerdict.Bound:G2} below or b ≤ {MelVerdict.Bound:G2} above."));

        SeriesPlot.Save(context.PathOf("filterbank.png"), [.. Scales.Select(s => FilterPanel(s, sampleRate))], panelWidth: 560, height: 420);
        report.Image("filterbank.png", Invariant($"{PictureBands}-band filterbanks from 0 to {nyquist:N0} Hz on each scale (fewer bands than above, so each triangle can be seen). Every triangle rises from its left neighbour's centre to its own and falls to its right neighbour's: narrow at low frequencies, wide at high ones. HTK's bands are narrower than Slaney's below about 500 Hz and a little wider in the middle."));

        report.Text("Why: pitch perception is not linear in frequency. Stevens, Volkmann and Newman (1937) had listeners split tones into steps that sounded equal and called the unit the mel; the steps were about equally wide in Hz at low frequencies and about equally wide in ratio at high ones, as the cochlea maps frequency to position along the basilar membrane roughly linearly at the low end and logarithmically above about 1 kHz. A mel filterbank gives every band the same width in that perceived pitch, so the spectrogram keeps detail where hearing (and the pitch and first formants of speech) has it, and pools the high frequencies, whose fine structure the ear cannot resolve. HTK's formula (O'Shaughnessy's fit, with its knee at 700 Hz) is one smooth curve that is only roughly linear below 1 kHz; Slaney's (the Auditory Toolbox, librosa's default) is exactly linear below 1 kHz and exactly logarithmic above, with 27 mels per factor 6.4 in frequency. torchaudio uses HTK by default, librosa Slaney; a model trained on one's features must be fed the same.");
        return exponents;
    }

    // 20 triangles on a 10 Hz grid, peak 1; the legend names one of them for all.
    private static Panel FilterPanel(MelScaleKind scale, int sampleRate)
    {
        int nyquist = sampleRate / 2, points = nyquist / 10 + 1;
        float[] w = AudioFunctional.MelFilterbank(points, 0, nyquist, PictureBands, sampleRate, MelNorm.None, scale).Contiguous().ToArray<float>();
        double[] hz = [.. Enumerable.Range(0, points).Select(k => (double)k * nyquist / (points - 1))];
        var palette = new ScottPlot.Palettes.Category10();
        var curves = Enumerable.Range(0, PictureBands).Select(m => new Series(m == 0 ? "one triangle per band" : "", hz,
            [.. Enumerable.Range(0, points).Select(k => (double)w[k * PictureBands + m])], palette.GetColor(m))).ToList();
        string name = scale == MelScaleKind.Htk ? "HTK" : "Slaney";
        return new Panel($"{name} mel filterbank, {PictureBands} bands", "frequency (Hz)", "weight", curves, (0, 1.15));
    }

    // 10·log₁₀(P / max P), floored at −TopDb: [rows, frames] row-major for the plot.
    private static float[] Decibels(Tensor power)
    {
        double max = Math.Max(power.Max().Item(), 1e-10);
        return AudioFunctional.PowerToDb(power, reference: max, topDb: TopDb).Contiguous().ToArray<float>();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
