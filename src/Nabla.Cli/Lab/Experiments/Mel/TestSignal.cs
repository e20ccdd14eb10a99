using System.Globalization;
using Nabla.Audio;
using Nabla.Cli.Audio;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Mel;

/// <summary>The sound the experiment analyses: a sentence spoken by espeak-ng when it is installed, otherwise a
/// synthetic signal made of a rising chirp and a sung vowel, so the experiment never needs a package.</summary>
internal static class TestSignal
{
    /// <summary>Samples per second of every signal here.</summary>
    public const int SampleRate = 16_000;

    /// <summary>The sentence espeak-ng says.</summary>
    public const string Sentence = "The quick brown fox jumps over the lazy dog.";

    /// <summary>Seconds of the chirp, of the pause after it and of the vowel.</summary>
    public const double ChirpSeconds = 1.0, PauseSeconds = 0.2, VowelSeconds = 1.0;

    /// <summary>The chirp's start and end frequency, Hz.</summary>
    public const double ChirpStart = 100, ChirpEnd = 7_000;

    /// <summary>The vowel's fundamental frequency, Hz.</summary>
    public const double VowelPitch = 140;

    /// <summary>Formant frequencies and bandwidths of an /a/ (Peterson &amp; Barney's averages for men, rounded), Hz.</summary>
    public static readonly (double Frequency, double Bandwidth)[] Formants = [(730, 90), (1_090, 110), (2_440, 170)];

    /// <summary>A signal [T] at <see cref="SampleRate"/> and a description of it.</summary>
    public sealed record Sound(Tensor Samples, string Description);

    /// <summary>espeak-ng's reading of <see cref="Sentence"/> resampled to 16 kHz when <paramref name="allowSpeech"/> and
    /// the program runs, else <see cref="Synthetic"/>.</summary>
    public static Sound Make(bool allowSpeech, Generator random)
    {
        if (allowSpeech && EspeakNg.IsAvailable())
        {
            var audio = Wav.Decode(EspeakNg.Synthesize(Sentence, "en-us", speed: 150, pitch: 50), $"{EspeakNg.Program} output", mono: true);
            using var _ = Tensor.NoGrad();
            var samples = audio.Mono().Squeeze(0);
            if (audio.SampleRate != SampleRate) samples = AudioFunctional.Resample(samples, audio.SampleRate, SampleRate);
            return new Sound(Trim(samples.Contiguous().ToArray<float>()), string.Create(CultureInfo.InvariantCulture,
                $"\"{Sentence}\" spoken by {EspeakNg.Program} (voice en-us, 150 words per minute), resampled from {audio.SampleRate:N0} Hz to {SampleRate:N0} Hz, silence at the ends trimmed"));
        }
        return new Sound(Synthetic(random), string.Create(CultureInfo.InvariantCulture,
            $"a synthetic signal at {SampleRate:N0} Hz: a linear chirp from {ChirpStart:N0} to {ChirpEnd:N0} Hz over {ChirpSeconds:G2} s, {PauseSeconds:G2} s of quiet, then {VowelSeconds:G2} s of a sung /a/ (harmonics of {VowelPitch:N0} Hz shaped by formants at {string.Join(", ", Formants.Select(f => f.Frequency.ToString("N0", CultureInfo.InvariantCulture)))} Hz)"));
    }

    /// <summary>The chirp, a pause and the vowel, with faint noise (drawn from <paramref name="random"/>), peak 0.8: [T].</summary>
    /// <remarks>The chirp's phase is φ(t) = 2π(f₀t + (f₁ − f₀)t²/(2T)), so its frequency φ'(t)/2π rises linearly from f₀ to
    /// f₁. The vowel is Σₖ aₖ·sin(2πk·f·t) over the harmonics k·f below 4 kHz, aₖ = (1/k)·Σᵢ 1/(1 + ((k·f − Fᵢ)/Bᵢ)²): a
    /// falling source spectrum times resonance peaks at the formants Fᵢ.</remarks>
    public static Tensor Synthetic(Generator random)
    {
        int chirp = (int)(ChirpSeconds * SampleRate), pause = (int)(PauseSeconds * SampleRate), vowel = (int)(VowelSeconds * SampleRate);
        var x = new float[chirp + pause + vowel];
        for (int n = 0; n < chirp; n++)
        {
            double t = (double)n / SampleRate;
            x[n] = (float)(0.5 * Math.Sin(2 * Math.PI * (ChirpStart * t + (ChirpEnd - ChirpStart) * t * t / (2 * ChirpSeconds))) * Fade(n, chirp));
        }
        for (int n = 0; n < vowel; n++)
        {
            double t = (double)n / SampleRate, sum = 0;
            for (int k = 1; k * VowelPitch < 4_000; k++)
            {
                double f = k * VowelPitch, envelope = Formants.Sum(formant => 1 / (1 + Math.Pow((f - formant.Frequency) / formant.Bandwidth, 2)));
                sum += envelope / k * Math.Sin(2 * Math.PI * f * t);
            }
            x[chirp + pause + n] = (float)(sum * Fade(n, vowel));
        }
        for (int n = 0; n < x.Length; n++) x[n] += (float)(1e-3 * random.NextNormal());
        float peak = x.Max(Math.Abs);
        for (int n = 0; n < x.Length; n++) x[n] *= 0.8f / peak;
        return Tensor.FromArray<float>(x);
    }

    /// <summary>The samples from 50 ms before the first to 50 ms after the last one above 1% of the peak: [T].</summary>
    public static Tensor Trim(float[] x)
    {
        float threshold = 0.01f * x.Max(Math.Abs);
        int first = Array.FindIndex(x, v => Math.Abs(v) > threshold), last = Array.FindLastIndex(x, v => Math.Abs(v) > threshold);
        if (first < 0) return Tensor.FromArray<float>(x);
        int margin = SampleRate / 20, start = Math.Max(0, first - margin), end = Math.Min(x.Length, last + 1 + margin);
        return Tensor.FromArray<float>(x.AsSpan(start, end - start));
    }

    // A 10 ms raised-cosine ramp at each end of a segment of `length` samples, so no edge clicks across the spectrum.
    private static double Fade(int n, int length)
    {
        int ramp = SampleRate / 100;
        int edge = Math.Min(n, length - 1 - n);
        return edge >= ramp ? 1 : 0.5 - 0.5 * Math.Cos(Math.PI * edge / ramp);
    }
}
