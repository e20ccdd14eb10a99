namespace Nabla.Cli.Lab.Common;

/// <summary>Smooths a noisy per-step loss curve for plots and thresholds: the bias-corrected exponential moving average
/// TensorBoard draws.</summary>
internal static class LossSmoothing
{
    /// <summary>sₜ = β·sₜ₋₁ + (1 − β)·xₜ with s₀ = 0, returned as ŝₜ = sₜ / (1 − βᵗ) so the first points are not pulled
    /// towards 0; β = 0 returns the values unchanged. A window of about 1 / (1 − β) steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is outside [0, 1).</exception>
    public static double[] Ema(IReadOnlyList<double> values, double beta)
    {
        if (!(beta >= 0 && beta < 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "LossSmoothing.Ema: beta must be in [0, 1)");
        var smoothed = new double[values.Count];
        double s = 0, decay = 1;
        for (int t = 0; t < values.Count; t++)
        {
            s = beta * s + (1 - beta) * values[t];
            decay *= beta;
            smoothed[t] = s / (1 - decay);
        }
        return smoothed;
    }

    /// <summary>The 1-based index of the first value at or below <paramref name="threshold"/>, or null when none is.</summary>
    public static int? FirstAtOrBelow(IReadOnlyList<double> values, double threshold)
    {
        for (int t = 0; t < values.Count; t++)
            if (values[t] <= threshold) return t + 1;
        return null;
    }

    /// <summary>The mean of the last <paramref name="fraction"/> of <paramref name="values"/> (at least one value): a
    /// final loss that one lucky batch does not decide.</summary>
    public static double TailMean(IReadOnlyList<double> values, double fraction = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        int n = Math.Clamp((int)Math.Round(values.Count * fraction), 1, values.Count);
        double sum = 0;
        for (int t = values.Count - n; t < values.Count; t++) sum += values[t];
        return sum / n;
    }
}
