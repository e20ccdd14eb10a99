namespace Nabla.Cli.Lab.Experiments.Dropout;

/// <summary>The verdict rule for "dropout shrinks the gap between training and test accuracy without costing test
/// accuracy", from the final gaps and test accuracies of the runs with p = 0, a middle p and the largest p.</summary>
internal static class GapRule
{
    /// <summary>How far (in percentage points) a gap may grow from one p to the next and still count as shrinking
    /// overall, and how far below the plain network's a dropout run's test accuracy may fall and still count as
    /// "no worse".</summary>
    public const double TolerancePoints = 0.5;

    /// <summary>The smallest total shrinkage of the gap, p = 0 to the largest p, that counts (percentage points); the
    /// rule also demands two standard errors of the test accuracies' difference.</summary>
    public const double MinimumShrinkPoints = 1;

    /// <summary>Supported when the gap falls from each p to the next (within <see cref="TolerancePoints"/>), by at
    /// least max(<see cref="MinimumShrinkPoints"/>, <paramref name="noisePoints"/>) in all, and every dropout run's
    /// test accuracy is at least the plain network's minus <see cref="TolerancePoints"/>; not supported when the largest
    /// p's gap is no smaller than the plain network's, or the best dropout run's test accuracy is lower than the plain
    /// network's by more than <paramref name="noisePoints"/> (and <see cref="MinimumShrinkPoints"/>); inconclusive otherwise.</summary>
    /// <param name="gaps">Final train − test accuracy in points, by increasing p (the first is p = 0).</param>
    /// <param name="tests">Final test accuracy in points, in the same order.</param>
    /// <param name="noisePoints">Two standard errors of a difference of two test accuracies, in points.</param>
    public static Verdict Decide(IReadOnlyList<double> gaps, IReadOnlyList<double> tests, double noisePoints)
    {
        if (gaps.Count < 2 || gaps.Count != tests.Count) throw new ArgumentException($"GapRule: {gaps.Count} gaps and {tests.Count} test accuracies; expected the same count, at least 2");
        bool falls = Enumerable.Range(1, gaps.Count - 1).All(i => gaps[i] <= gaps[i - 1] + TolerancePoints);
        bool enough = gaps[0] - gaps[^1] >= Math.Max(MinimumShrinkPoints, noisePoints);
        bool noWorse = tests.Skip(1).All(t => t >= tests[0] - TolerancePoints);
        bool hurts = tests.Skip(1).Max() < tests[0] - Math.Max(MinimumShrinkPoints, noisePoints);
        return VerdictText.From(falls && enough && noWorse, gaps[^1] >= gaps[0] || hurts);
    }
}
