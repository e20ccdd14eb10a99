using Nabla.Data;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Vae;

/// <summary>Where each label's images sit in a VAE's latent space: the mean of their posterior means, and which labels'
/// centres lie closest together (the digits the code confuses most easily).</summary>
internal static class LatentCentroids
{
    /// <summary>A pair of labels and the Euclidean distance between their centroids.</summary>
    public sealed record Pair(long A, long B, double Distance);

    /// <summary>The centroid of μ(x) per label, ordered by label.</summary>
    public static SortedDictionary<long, double[]> Compute(MlpVae model, TensorDataset data, int batchSize = 500)
    {
        using var _ = Tensor.NoGrad();
        long[] labels = data.Targets.ToArray<long>();
        int latent = model.Latent;
        var sums = new SortedDictionary<long, double[]>();
        var counts = new Dictionary<long, int>();
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, data.Count - start);
            float[] mu = model.Encode(data.Inputs.Narrow(0, start, n)).Mu.Contiguous().ToArray<float>();   // [n, latent]
            for (int i = 0; i < n; i++)
            {
                long label = labels[start + i];
                if (!sums.TryGetValue(label, out var sum)) sums[label] = sum = new double[latent];
                for (int j = 0; j < latent; j++) sum[j] += mu[i * latent + j];
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        }
        foreach (var (label, sum) in sums)
            for (int j = 0; j < latent; j++) sum[j] /= counts[label];
        return sums;
    }

    /// <summary>The <paramref name="count"/> closest pairs of centroids, nearest first.</summary>
    public static List<Pair> Closest(SortedDictionary<long, double[]> centroids, int count)
    {
        var labels = centroids.Keys.ToArray();
        var pairs = new List<Pair>();
        for (int a = 0; a < labels.Length; a++)
            for (int b = a + 1; b < labels.Length; b++)
            {
                double[] p = centroids[labels[a]], q = centroids[labels[b]];
                pairs.Add(new Pair(labels[a], labels[b], Math.Sqrt(p.Zip(q, (x, y) => (x - y) * (x - y)).Sum())));
            }
        return [.. pairs.OrderBy(p => p.Distance).Take(count)];
    }
}
