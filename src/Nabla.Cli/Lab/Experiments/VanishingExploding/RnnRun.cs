namespace Nabla.Cli.Lab.Experiments.VanishingExploding;

/// <summary>One training run of <see cref="ExplodingRnn"/>.</summary>
/// <param name="Seed">The run's seed (initialization and data).</param>
/// <param name="MaxNorm">The clipping threshold θ, or +∞ for no clipping.</param>
/// <param name="Losses">The loss of every step (NaN or ∞ once the run has diverged).</param>
/// <param name="GradientNorms">‖∇L‖₂ over all parameters at every step, before clipping.</param>
internal sealed record RnnRun(long Seed, double MaxNorm, double[] Losses, double[] GradientNorms)
{
    /// <summary>Whether clipping was on.</summary>
    public bool Clipped => double.IsFinite(MaxNorm);

    /// <summary>The mean loss over the last tenth of the steps; +∞ when any of them is not finite (the run diverged).</summary>
    public double FinalLoss
    {
        get
        {
            var tail = Losses.Skip(Losses.Length - Math.Max(1, Losses.Length / 10)).ToArray();
            return tail.All(double.IsFinite) ? tail.Average() : double.PositiveInfinity;
        }
    }

    /// <summary>The largest gradient norm seen (+∞ if one overflowed or was NaN).</summary>
    public double MaxGradientNorm => GradientNorms.Any(v => !double.IsFinite(v)) ? double.PositiveInfinity : GradientNorms.Max();

    /// <summary>The median gradient norm over the finite ones.</summary>
    public double MedianGradientNorm
    {
        get
        {
            var finite = GradientNorms.Where(double.IsFinite).Order().ToArray();
            return finite.Length == 0 ? double.NaN : finite[finite.Length / 2];
        }
    }

    /// <summary>The first step (1-based) whose loss is not finite, or 0 if every loss is.</summary>
    public int DivergedAt => Array.FindIndex(Losses, v => !double.IsFinite(v)) + 1;

    /// <summary>The fraction of steps whose gradient norm exceeded the threshold (so were rescaled).</summary>
    public double ClippedFraction => GradientNorms.Count(v => v > MaxNorm) / (double)Math.Max(1, GradientNorms.Length);
}
