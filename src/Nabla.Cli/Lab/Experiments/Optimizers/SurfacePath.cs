namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>An optimizer's walk on a 2-D function: the points it visited and the function's value at each.</summary>
/// <param name="X">x₀ … x_T (the start first).</param>
/// <param name="Y">y₀ … y_T.</param>
/// <param name="F">f(x_t, y_t).</param>
/// <param name="Diverged">Whether the walk left the finite numbers or passed <see cref="SurfaceDescent.Ceiling"/> and was stopped.</param>
internal sealed record SurfacePath(double[] X, double[] Y, double[] F, bool Diverged)
{
    /// <summary>The number of steps to the first point with f ≤ <paramref name="threshold"/>, or null if none.</summary>
    public int? StepsTo(double threshold)
    {
        for (int t = 0; t < F.Length; t++)
            if (F[t] <= threshold) return t;
        return null;
    }
}
