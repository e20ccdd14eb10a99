namespace Nabla.Cli.Lab.Common;

/// <summary>How much of a difference between two accuracies measured on a finite test set is noise, so a verdict
/// rule can demand a difference larger than the test set can produce by chance.</summary>
internal static class AccuracyStatistics
{
    /// <summary>The standard error of an accuracy p measured on n samples: √(p(1 − p) / n).</summary>
    public static double StandardError(double accuracy, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        return Math.Sqrt(Math.Clamp(accuracy, 0, 1) * (1 - Math.Clamp(accuracy, 0, 1)) / samples);
    }

    /// <summary>The standard error of the difference of two accuracies, each on <paramref name="samples"/> samples,
    /// taken as independent: √(SE₁² + SE₂²). With the same test images the errors are positively correlated, so this
    /// overstates the noise: a difference beyond two of these is beyond two true standard errors.</summary>
    public static double DifferenceStandardError(double accuracy1, double accuracy2, int samples) =>
        Math.Sqrt(Math.Pow(StandardError(accuracy1, samples), 2) + Math.Pow(StandardError(accuracy2, samples), 2));
}
