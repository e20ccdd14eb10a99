using Nabla.Audio;
using Nabla.Cli.Lab;
using Nabla.Cli.Lab.Experiments.Mel;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>mel's band-spacing measurements, its verdict rule and its synthetic test signal.</summary>
public sealed class MelTests
{
    [Fact]
    public void Slaney_band_centres_are_evenly_spaced_below_1_kHz_and_in_ratio_above()
    {
        double[] c = BandSpacing.Centres(64, 16_000, MelScaleKind.Slaney);
        Assert.Equal(64, c.Length);
        var below = c.Zip(c.Skip(1), (a, b) => (a, b)).Where(p => p.b < 1_000).Select(p => p.b - p.a).ToArray();
        Assert.InRange(below.Max() - below.Min(), 0, 1);                       // 1 Hz grid: equal widths up to rounding
        var ratios = c.Zip(c.Skip(1), (a, b) => (a, b)).Where(p => p.a > 1_200).Select(p => p.b / p.a).ToArray();
        Assert.InRange(ratios.Max() - ratios.Min(), 0, 0.01);
    }

    [Fact]
    public void Band_centres_are_the_mel_spaced_edges_of_the_filterbank()
    {
        // Centre m is edge m + 1 of n + 2 edges evenly spaced in mel from 0 to 8 kHz.
        double[] c = BandSpacing.Centres(40, 16_000, MelScaleKind.Htk);
        double top = AudioFunctional.HzToMel(8_000, MelScaleKind.Htk);
        for (int m = 0; m < 40; m++)
            Assert.InRange(c[m] - AudioFunctional.MelToHz(top * (m + 1) / 41, MelScaleKind.Htk), -0.51, 0.51);
    }

    [Fact]
    public void Width_exponent_is_zero_for_linear_and_one_for_geometric_spacing()
    {
        double[] linear = [.. Enumerable.Range(1, 100).Select(i => 50.0 * i)];
        double[] geometric = [.. Enumerable.Range(0, 60).Select(i => 100 * Math.Pow(1.06, i))];
        Assert.Equal(0, BandSpacing.WidthExponent(linear, 100, 4_000), 9);
        Assert.Equal(1, BandSpacing.WidthExponent(geometric, 100, 3_000), 9);
        Assert.True(double.IsNaN(BandSpacing.WidthExponent(linear, 10, 60)));   // fewer than 3 pairs
    }

    [Fact]
    public void Measured_exponents_put_HTK_between_the_ideals_and_Slaney_on_them()
    {
        double[] htk = BandSpacing.Centres(64, 16_000, MelScaleKind.Htk), slaney = BandSpacing.Centres(64, 16_000, MelScaleKind.Slaney);
        Assert.InRange(BandSpacing.WidthExponent(slaney, 100, 1_000), -0.02, 0.02);
        Assert.InRange(BandSpacing.WidthExponent(slaney, 1_000, 8_000), 0.98, 1.02);
        Assert.InRange(BandSpacing.WidthExponent(htk, 100, 1_000), 0.25, 0.4);   // Δf ∝ 700 + f: f/(700 + f) from 0.13 to 0.59
        Assert.InRange(BandSpacing.WidthExponent(htk, 1_000, 8_000), 0.7, 0.9);
    }

    private static MelVerdict.Exponents E(string name, double below, double above) => new(name, below, above);

    [Fact]
    public void Verdict_follows_the_exponents_with_a_margin_about_one_half()
    {
        Assert.Equal(Verdict.Supported, MelVerdict.Judge([E("HTK", 0.34, 0.79), E("Slaney", 0, 1)]).Verdict);
        Assert.Equal(Verdict.Inconclusive, MelVerdict.Judge([E("HTK", 0.45, 0.79), E("Slaney", 0, 1)]).Verdict);
        Assert.Equal(Verdict.NotSupported, MelVerdict.Judge([E("linear", 0, 0), E("Slaney", 0, 1)]).Verdict);
        Assert.Equal(Verdict.NotSupported, MelVerdict.Judge([E("log", 1, 1)]).Verdict);
        Assert.Equal(Verdict.NotSupported, MelVerdict.Judge([E("none", double.NaN, 1)]).Verdict);
    }

    [Fact]
    public void Synthetic_signal_has_its_length_peak_and_the_chirp_frequency_where_expected()
    {
        var x = TestSignal.Synthetic(new Generator(1));
        float[] samples = x.ToArray<float>();
        int expected = (int)((TestSignal.ChirpSeconds + TestSignal.PauseSeconds + TestSignal.VowelSeconds) * TestSignal.SampleRate);
        Assert.Equal(expected, samples.Length);
        Assert.Equal(0.8f, samples.Max(Math.Abs), 5);

        // The frame centred at 0.5 s peaks at the chirp's instantaneous frequency f₀ + (f₁ − f₀)·t/T = 3550 Hz.
        var power = AudioFunctional.Spectrogram(x, Windows.Hann(512), 512, 160);                  // [257, frames]
        int frame = TestSignal.SampleRate / 2 / 160;
        var column = power.Select(1, frame).ToArray<float>();
        double peakHz = Array.IndexOf(column, column.Max()) * TestSignal.SampleRate / 512.0;
        Assert.InRange(peakHz, 3_550 - 40, 3_550 + 40);

        // In the vowel, the strongest harmonic is the one nearest the first formant (730 Hz): 5 × 140 = 700 Hz.
        int vowelFrame = (int)((TestSignal.ChirpSeconds + TestSignal.PauseSeconds + 0.5) * TestSignal.SampleRate / 160);
        var vowel = power.Select(1, vowelFrame).ToArray<float>();
        Assert.InRange(Array.IndexOf(vowel, vowel.Max()) * TestSignal.SampleRate / 512.0, 700 - 32, 700 + 32);
    }

    [Fact]
    public void Trim_keeps_50_ms_around_the_sound()
    {
        var x = new float[16_000];
        for (int n = 4_000; n < 6_000; n++) x[n] = 0.5f;
        var trimmed = TestSignal.Trim(x).ToArray<float>();
        Assert.Equal(2_000 + 2 * 800, trimmed.Length);
        Assert.Equal(0.5f, trimmed[800]);
        Assert.Equal(0f, trimmed[799]);
    }
}
