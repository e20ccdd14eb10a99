namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>The verdict rule for "Adam converges faster than plain SGD", from each method's steps to a loss threshold
/// and its final loss.</summary>
internal static class SpeedRule
{
    /// <summary>Adam must reach the threshold in at most this fraction of SGD's steps to count as faster.</summary>
    public const double FasterFraction = 2.0 / 3;

    /// <summary>Supported when Adam reaches the threshold, SGD either does not or needs at least 1.5× Adam's steps, and
    /// Adam's final loss is no higher than SGD's; not supported when SGD reaches the threshold in no more steps than
    /// Adam (or Adam never reaches it while SGD does); inconclusive otherwise (neither reaches it, Adam faster by less
    /// than the margin, or faster but ending higher).</summary>
    public static Verdict Decide(int? adamSteps, int? sgdSteps, double adamFinal, double sgdFinal)
    {
        bool faster = adamSteps is int a && (sgdSteps is not int s || a <= FasterFraction * s);
        bool notFaster = sgdSteps is int s2 && (adamSteps is not int a2 || s2 <= a2);
        return VerdictText.From(faster && adamFinal <= sgdFinal, notFaster);
    }
}
