namespace Nabla.Cli.Lab.Experiments.Backprop;

/// <summary>How far apart two gradients are: the scaled error |a − b| / max(1, |a|, |b|) per element, which is the
/// absolute error for gradients below 1 and the relative error above, so neither tiny nor large entries dominate.</summary>
internal static class GradientError
{
    /// <summary>The scaled error of one pair of numbers.</summary>
    public static double Scaled(double a, double b) => Math.Abs(a - b) / Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    /// <summary>The largest scaled error over the elements of two gradients of equal length.</summary>
    public static double Max(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"GradientError.Max: gradients of {a.Count} and {b.Count} elements; expected equal lengths");
        double max = 0;
        for (int i = 0; i < a.Count; i++) max = Math.Max(max, double.IsNaN(a[i] - b[i]) ? double.PositiveInfinity : Scaled(a[i], b[i]));
        return max;
    }

    /// <summary>The largest relative error |a − b| / max(|a|, |b|) over elements where either is non-zero.</summary>
    public static double MaxRelative(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double max = 0;
        for (int i = 0; i < a.Count; i++)
        {
            double scale = Math.Max(Math.Abs(a[i]), Math.Abs(b[i]));
            if (scale > 0) max = Math.Max(max, Math.Abs(a[i] - b[i]) / scale);
        }
        return max;
    }
}
