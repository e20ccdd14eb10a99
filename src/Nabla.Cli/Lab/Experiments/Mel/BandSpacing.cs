using Nabla.Audio;

namespace Nabla.Cli.Lab.Experiments.Mel;

/// <summary>Where a mel filterbank puts its bands, measured from <see cref="AudioFunctional.MelFilterbank"/> itself: each
/// triangle's peak frequency (its centre) on a 1 Hz grid, the spacing of neighbouring centres, and how that spacing
/// grows with frequency.</summary>
/// <remarks>Equal steps in mel make the spacing Δf between neighbouring centres inversely proportional to the scale's
/// slope dm/df. A linear scale gives Δf constant (Δf ∝ f⁰); a logarithmic one, m ∝ ln f, gives Δf ∝ f¹. Fitting
/// log Δf = a + b·log f over a frequency range measures which of the two the scale is there: b near 0 is linear, near 1
/// logarithmic.</remarks>
internal static class BandSpacing
{
    /// <summary>The band centres, Hz, in increasing order: the frequency of each filter's largest weight, for
    /// <paramref name="bands"/> bands from 0 to sampleRate/2 on a grid of 1 Hz.</summary>
    public static double[] Centres(int bands, int sampleRate, MelScaleKind scale)
    {
        int nyquist = sampleRate / 2;
        var filters = AudioFunctional.MelFilterbank(nyquist + 1, 0, nyquist, bands, sampleRate, MelNorm.None, scale);   // [freqs, bands], bin k at k Hz
        float[] w = filters.Contiguous().ToArray<float>();
        var centres = new double[bands];
        for (int m = 0; m < bands; m++)
        {
            int best = 0;
            for (int k = 1; k <= nyquist; k++)
                if (w[k * bands + m] > w[best * bands + m]) best = k;
            centres[m] = best;
        }
        return centres;
    }

    /// <summary>The slope b of the least-squares line log Δf = a + b·log f over neighbouring centres whose midpoint f lies
    /// in [<paramref name="low"/>, <paramref name="high"/>), Δf the distance between them; NaN with fewer than 3 such pairs.</summary>
    public static double WidthExponent(double[] centres, double low, double high)
    {
        var (xs, ys) = (new List<double>(), new List<double>());
        for (int m = 0; m + 1 < centres.Length; m++)
        {
            double f = 0.5 * (centres[m] + centres[m + 1]), width = centres[m + 1] - centres[m];
            if (f < low || f >= high || width <= 0) continue;
            xs.Add(Math.Log(f));
            ys.Add(Math.Log(width));
        }
        if (xs.Count < 3) return double.NaN;
        double mx = xs.Average(), my = ys.Average();
        double sxy = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum(), sxx = xs.Sum(x => (x - mx) * (x - mx));
        return sxx > 0 ? sxy / sxx : double.NaN;
    }

    /// <summary>How many centres lie in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static int Count(double[] centres, double low, double high) => centres.Count(c => c >= low && c < high);
}
