using Nabla.Cli.Lab;
using Nabla.Cli.Lab.Experiments.Vae;
using Nabla.Data;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>vae's verdict rule, its pick of one test digit per label, and its latent-space measurements.</summary>
public sealed class VaeTests
{
    private static BetaTradeoff.Point P(double beta, double reconstruction, double kl) => new(beta, reconstruction, kl);

    [Fact]
    public void Trade_off_is_supported_when_every_step_lowers_KL_and_raises_reconstruction_error()
    {
        var (verdict, reason) = BetaTradeoff.Judge([P(2, 110, 13), P(0.5, 90, 31), P(4, 133, 7), P(1, 97, 22)]);   // order of β does not matter
        Assert.Equal(Verdict.Supported, verdict);
        Assert.Contains("31.00 → 7.00", reason);
        Assert.Contains("90.00 → 133.00", reason);
    }

    [Fact]
    public void Trade_off_is_not_supported_when_the_largest_beta_keeps_more_KL_than_the_smallest()
    {
        Assert.Equal(Verdict.NotSupported, BetaTradeoff.Judge([P(0.5, 90, 20), P(1, 95, 18), P(4, 120, 21)]).Verdict);
        Assert.Equal(Verdict.NotSupported, BetaTradeoff.Judge([P(0.5, 100, 30), P(4, 99, 10)]).Verdict);
    }

    [Fact]
    public void Trade_off_is_inconclusive_when_a_middle_step_goes_the_wrong_way_or_the_change_is_below_a_nat()
    {
        var (verdict, reason) = BetaTradeoff.Judge([P(0.5, 90, 30), P(1, 89, 22), P(2, 110, 13)]);
        Assert.Equal(Verdict.Inconclusive, verdict);
        Assert.Contains("reconstruction error did not rise at every step", reason);
        Assert.Equal(Verdict.Inconclusive, BetaTradeoff.Judge([P(0.5, 90, 30), P(4, 90.5, 10)]).Verdict);
    }

    [Fact]
    public void One_per_label_takes_the_first_image_of_each_label_in_label_order_then_fills_in()
    {
        var images = Tensor.Arange(0, 6).Reshape([6, 1, 1, 1]).To(DType.Float32);
        var data = new TensorDataset(images, Tensor.FromArray<long>([2, 0, 2, 1, 0, 1]));
        float[] picked = BetaImages.OnePerLabel(data, 5).Flatten().ToArray<float>();
        Assert.Equal([1f, 3f, 0f, 2f, 4f], picked);   // labels 0, 1, 2 at indices 1, 3, 0; then indices 2, 4
    }

    [Fact]
    public void Closest_centroids_are_the_nearest_pair_first()
    {
        var centroids = new SortedDictionary<long, double[]> { [0] = [0, 0], [1] = [3, 4], [2] = [0, 1] };
        var pairs = LatentCentroids.Closest(centroids, 2);
        Assert.Equal((0L, 2L, 1.0), (pairs[0].A, pairs[0].B, pairs[0].Distance));
        Assert.Equal((1L, 2L), (pairs[1].A, pairs[1].B));
        Assert.Equal(Math.Sqrt(18), pairs[1].Distance, 12);
    }

    [Fact]
    public void Centroids_and_activity_come_from_the_encoder_means()
    {
        var model = new MlpVae(latent: 3, hidden: 8, channels: 1, height: 4, width: 4, generator: new Generator(5));
        var images = Tensor.Rand([10, 1, 4, 4], generator: new Generator(6));
        var data = new TensorDataset(images, Tensor.FromArray<long>([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]));
        float[] mu;
        using (Tensor.NoGrad()) mu = model.Encode(images).Mu.Contiguous().ToArray<float>();   // [10, 3]

        var centroids = LatentCentroids.Compute(model, data, batchSize: 3);
        double expected = Enumerable.Range(0, 5).Average(i => (double)mu[2 * i * 3]);    // label 0: rows 0, 2, 4, 6, 8; dimension 0
        Assert.Equal(expected, centroids[0][0], 5);

        double[] variances = LatentActivity.Variances(model, data, batchSize: 4);
        double mean = Enumerable.Range(0, 10).Average(i => (double)mu[i * 3 + 1]);
        double variance = Enumerable.Range(0, 10).Average(i => Math.Pow(mu[i * 3 + 1] - mean, 2));
        Assert.Equal(variance, variances[1], 6);
        Assert.Equal(variances.Count(v => v > LatentActivity.Threshold), LatentActivity.Count(variances));
    }
}
