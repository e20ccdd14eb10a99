namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>An optimizer's walk on a 2-D function: the points it visited and the function's value at each.</summary>
/// <param name="X">x₀ … x_T (the start first).</param>
/// <param name="Y">y₀ … y_T.</param>
/// <param name="F">f(x_t, y_t).</param>
/// <param name="Diverged">Whether the walk left the finite numbers or passed <see cref="SurfaceDescent.Ceiling"/> and was stopped.</param>
internal sealed record SurfacePath(double[] X, double[] Y, double[] F, bool Diverged)
{
    /// <summary>The number of steps after which f stays at or below <paramref name="threshold"/> for the rest of the
    /// walk, or null if the walk ends above it (or diverged): a lucky pass through the threshold that bounces back out
    /// does not count.</summary>
    public int? StepsToStay(double threshold)
    {
        if (Diverged || F.Length == 0 || F[^1] > threshold) return null;
        int t = F.Length - 1;
        while (t > 0 && F[t - 1] <= threshold) t--;
        return t;
    }
}
