using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.MultiHead;

/// <summary>Where each head looks, relative to the query: the mean attention weight a query at position t puts on
/// position t + o, for every offset o.</summary>
internal static class AttentionOffsets
{
    /// <summary>profile[h, o + T − 1] = mean over sequences n and positions t with 0 ≤ t + o &lt; T of
    /// weights[n, h, t, t + o], for weights [N, H, T, T] and offsets o = −(T − 1) … T − 1.</summary>
    public static double[,] Profile(Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Dim != 4 || weights.Shape[2] != weights.Shape[3])
            throw new ArgumentException($"AttentionOffsets.Profile: weights must be [N, H, T, T]; got [{string.Join(", ", weights.Shape)}]", nameof(weights));
        int n = weights.Shape[0], heads = weights.Shape[1], length = weights.Shape[2];
        var w = weights.To(DType.Float64).Contiguous().ToArray<double>();
        var profile = new double[heads, 2 * length - 1];
        for (int h = 0; h < heads; h++)
            for (int o = -(length - 1); o < length; o++)
            {
                double sum = 0;
                int terms = 0;
                for (int s = 0; s < n; s++)
                    for (int t = Math.Max(0, -o); t < Math.Min(length, length - o); t++)
                    {
                        sum += w[((s * heads + h) * length + t) * length + t + o];
                        terms++;
                    }
                profile[h, o + length - 1] = sum / terms;
            }
        return profile;
    }

    /// <summary>The <paramref name="count"/> offsets with the largest mean weight in head <paramref name="head"/>'s row of
    /// <paramref name="profile"/>, strongest first.</summary>
    public static (int Offset, double Weight)[] Strongest(double[,] profile, int head, int count)
    {
        ArgumentNullException.ThrowIfNull(profile);
        int length = (profile.GetLength(1) + 1) / 2;
        return [.. Enumerable.Range(0, profile.GetLength(1))
            .Select(i => (Offset: i - (length - 1), Weight: profile[head, i]))
            .OrderByDescending(p => p.Weight)
            .Take(count)];
    }
}
