namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>The verdict rule for "Adam converges faster than plain SGD", from two measures of speed after the same
/// number of steps: the steps after which each method's loss stays below a target, and each one's final loss.</summary>
internal static class SpeedRule
{
    /// <summary>A ratio (Adam / SGD) at or below this is a real gain for Adam.</summary>
    public const double GainRatio = 0.8;

    /// <summary>A ratio (Adam / SGD) at or above this is no real gain for Adam.</summary>
    public const double NoGainRatio = 0.9;

    /// <summary>Adam's steps to settle below the target over SGD's: 0 when only Adam settles, +∞ when only SGD does,
    /// 1 when neither does (the measure says nothing).</summary>
    public static double StepRatio(int? adamSteps, int? sgdSteps) => (adamSteps, sgdSteps) switch
    {
        (int a, int s) => s == 0 ? (a == 0 ? 1 : double.PositiveInfinity) : (double)a / s,
        (int, null) => 0,
        (null, int) => double.PositiveInfinity,
        _ => 1,
    };

    /// <summary>Supported when Adam gains on one measure (ratio ≤ <see cref="GainRatio"/>) and loses on neither
    /// (ratio ≤ 1); not supported when it gains on neither (both ratios ≥ <see cref="NoGainRatio"/>); inconclusive
    /// otherwise: a small gain, or the measures disagree.</summary>
    /// <param name="adamSteps">Steps after which Adam's loss stayed below the target, or null if it never did.</param>
    /// <param name="sgdSteps">The same for SGD.</param>
    /// <param name="adamFinal">Adam's final loss.</param>
    /// <param name="sgdFinal">SGD's final loss.</param>
    public static Verdict Decide(int? adamSteps, int? sgdSteps, double adamFinal, double sgdFinal)
    {
        double steps = StepRatio(adamSteps, sgdSteps), final = sgdFinal > 0 ? adamFinal / sgdFinal : adamFinal > 0 ? double.PositiveInfinity : 1;
        bool gain = (steps <= GainRatio && final <= 1) || (final <= GainRatio && steps <= 1);
        return VerdictText.From(gain, steps >= NoGainRatio && final >= NoGainRatio);
    }
}
