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
}
