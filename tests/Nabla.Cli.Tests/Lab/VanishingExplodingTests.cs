using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Experiments.VanishingExploding;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>vanishing-exploding's parts: the sum task's targets, the deep network's variants, the per-layer gradient
/// norms, the RNN runs' summaries, and the direction of the gradient through time at small and large recurrent gains.</summary>
public sealed class VanishingExplodingTests
{
    [Fact]
    public void Sum_task_target_is_the_scaled_sum_of_the_inputs()
    {
        var task = new SumTask(9);

        var (x, y) = task.Sample(4, new Generator(1));

        Assert.Equal([4, 9, 1], x.Shape);
        Assert.Equal([4, 1], y.Shape);
        var inputs = x.ToArray<float>();
        var targets = y.ToArray<float>();
        for (int b = 0; b < 4; b++)
            Assert.Equal(inputs.Skip(b * 9).Take(9).Sum() / 3.0, targets[b], 5);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Deep_mlp_variants_map_images_to_logits_and_every_layer_gets_a_gradient(bool batchNorm, bool residual)
    {
        var net = new DeepMlp(12, 8, 3, depth: 5, "relu", batchNorm, residual, new Generator(2));
        var x = Tensor.Randn([6, 1, 3, 4], generator: new Generator(3));
        var y = Tensor.FromArray<long>([0, 1, 2, 0, 1, 2], [6]);

        Assert.Equal([6, 3], net.Call(x).Shape);
        var norms = LayerGradients.Measure(net, x, y);

        Assert.Equal(5, norms.Length);
        Assert.All(norms, n => Assert.True(n > 0 && double.IsFinite(n), $"norm {n}"));
        Assert.All(net.Parameters(), p => Assert.Null(p.Grad));
        Assert.Equal(norms[1] / norms[3], LayerGradients.Ratio(norms));
    }

    [Fact]
    public void Deep_sigmoid_gradients_vanish_and_relu_gradients_do_not()
    {
        var x = Tensor.Randn([64, 32], generator: new Generator(4));
        var y = Tensor.FromArray<long>([.. Enumerable.Range(0, 64).Select(i => (long)(i % 4))], [64]);

        double sigmoid = LayerGradients.Ratio(LayerGradients.Measure(new DeepMlp(32, 32, 4, 12, "sigmoid", false, false, new Generator(5)), x, y));
        double relu = LayerGradients.Ratio(LayerGradients.Measure(new DeepMlp(32, 32, 4, 12, "relu", false, false, new Generator(5)), x, y));

        Assert.True(sigmoid < 1e-3, $"sigmoid ρ = {sigmoid}");
        Assert.InRange(relu, 0.1, 10);
    }

    [Fact]
    public void Rnn_run_summaries_read_divergence_and_clipping_from_the_curves()
    {
        var diverged = new RnnRun(1, double.PositiveInfinity, [1, 2, 1e30, double.NaN, double.NaN], [3, 30, 1e20, double.PositiveInfinity, double.NaN]);
        var clipped = new RnnRun(1, 1, [1, 0.5, 0.4, 0.3, 0.2], [3, 0.5, 2, 0.9, 4]);

        Assert.Equal(4, diverged.DivergedAt);
        Assert.Equal(double.PositiveInfinity, diverged.FinalLoss);
        Assert.Equal(double.PositiveInfinity, diverged.MaxGradientNorm);
        Assert.False(diverged.Clipped);
        Assert.Equal(0, clipped.DivergedAt);
        Assert.Equal(0.2, clipped.FinalLoss);
        Assert.Equal(4, clipped.MaxGradientNorm);
        Assert.Equal(2, clipped.MedianGradientNorm);
        Assert.Equal(0.6, clipped.ClippedFraction, 12);
        Assert.True(clipped.Clipped);
    }

    [Fact]
    public void Gradient_through_time_shrinks_below_gain_one_and_grows_above()
    {
        var setup = new ExplodingRnn(new SumTask(20), 32, 0.5, 0.01, 8);

        var small = setup.GradientThroughTime(seed: 1, batchSize: 32);
        var large = (setup with { RecurrentGain = 2.5 }).GradientThroughTime(seed: 1, batchSize: 32);

        Assert.Equal(20, small.Length);
        Assert.True(small[^1] < 1e-3 * small[0], $"g = 0.5: {small[0]} at the end, {small[^1]} 19 steps back");
        Assert.True(large[^1] > 10 * large[0], $"g = 2.5: {large[0]} at the end, {large[^1]} 19 steps back");
    }

    [Fact]
    public void Clipping_bounds_every_update_and_keeps_training_finite()
    {
        var setup = new ExplodingRnn(new SumTask(10), 16, 1.5, 0.03, 16);

        var run = setup.Train(seed: 3, steps: 20, maxNorm: 1);

        Assert.Equal(20, run.Losses.Length);
        Assert.All(run.Losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(run.ClippedFraction > 0);
    }
}
