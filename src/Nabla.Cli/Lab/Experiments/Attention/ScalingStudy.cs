using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Attention;

/// <summary>Why attention divides by √d: for a query and keys with independent N(0, 1) components, q·k has variance d, so
/// without the division the softmax of larger heads saturates onto one key and its gradient vanishes.</summary>
internal static class ScalingStudy
{
    /// <summary>Measurements at one width d, averaged over the sampled queries.</summary>
    /// <param name="Width">d, the query and key width.</param>
    /// <param name="RawStd">Standard deviation of q·k (theory: √d).</param>
    /// <param name="ScaledStd">Standard deviation of q·k / √d (theory: 1).</param>
    /// <param name="LargestUnscaled">Mean largest softmax weight of q·k.</param>
    /// <param name="LargestScaled">Mean largest softmax weight of q·k / √d.</param>
    /// <param name="GradientUnscaled">Mean 1 − Σ_j a_j², the trace of the softmax Jacobian diag(a) − a·aᵀ, unscaled: how much
    /// the weights can still move.</param>
    /// <param name="GradientScaled">The same for the scaled scores.</param>
    public sealed record Point(int Width, double RawStd, double ScaledStd, double LargestUnscaled, double LargestScaled, double GradientUnscaled, double GradientScaled);

    /// <summary>Samples <paramref name="samples"/> queries, each against <paramref name="keys"/> keys, at every width.</summary>
    public static IReadOnlyList<Point> Measure(IReadOnlyList<int> widths, int keys, int samples, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(generator);
        var points = new List<Point>();
        foreach (int d in widths)
        {
            double sumSquares = 0, largestRaw = 0, largestScaled = 0, gradientRaw = 0, gradientScaled = 0;
            var scores = new double[keys];
            var q = new double[d];
            for (int s = 0; s < samples; s++)
            {
                for (int c = 0; c < d; c++) q[c] = generator.NextNormal();
                for (int j = 0; j < keys; j++)
                {
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += q[c] * generator.NextNormal();
                    scores[j] = dot;
                    sumSquares += dot * dot;
                }
                var (largest, trace) = Softmax(scores, 1);
                largestRaw += largest;
                gradientRaw += trace;
                (largest, trace) = Softmax(scores, 1 / Math.Sqrt(d));
                largestScaled += largest;
                gradientScaled += trace;
            }
            double rawStd = Math.Sqrt(sumSquares / ((double)samples * keys));   // the mean of q·k is 0
            points.Add(new Point(d, rawStd, rawStd / Math.Sqrt(d), largestRaw / samples, largestScaled / samples, gradientRaw / samples, gradientScaled / samples));
        }
        return points;
    }

    /// <summary>The largest weight of softmax(scale · scores) and 1 − Σ a².</summary>
    private static (double Largest, double Trace) Softmax(double[] scores, double scale)
    {
        double max = scores.Max() * scale, sum = 0, squares = 0, largest = 0;
        foreach (double s in scores) sum += Math.Exp(s * scale - max);
        foreach (double s in scores)
        {
            double a = Math.Exp(s * scale - max) / sum;
            squares += a * a;
            largest = Math.Max(largest, a);
        }
        return (largest, 1 - squares);
    }
}
