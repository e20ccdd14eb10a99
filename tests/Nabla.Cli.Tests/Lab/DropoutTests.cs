using Nabla.Cli.Lab;
using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Experiments.Dropout;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>dropout's parts: equal seeds give equal networks whatever p is, dropout is off in evaluation mode, the
/// verdict rule's cases, and the shared smoothing and accuracy-noise helpers.</summary>
public sealed class DropoutTests
{
    [Fact]
    public void Networks_with_different_p_start_equal_and_agree_in_evaluation_mode()
    {
        var plain = DropoutMlp.Build(32, 0, new Generator(1), new Generator(2));
        var dropped = DropoutMlp.Build(32, 0.5, new Generator(1), new Generator(2));
        var x = Tensor.Randn([4, 1, 28, 28], generator: new Generator(3));

        plain.Eval();
        dropped.Eval();

        Assert.Equal(plain.ParameterCount(), dropped.ParameterCount());
        Assert.Equal(plain.Call(x).ToArray<float>(), dropped.Call(x).ToArray<float>());
    }

    [Fact]
    public void Dropout_changes_the_output_in_training_mode()
    {
        var plain = DropoutMlp.Build(32, 0, new Generator(1), new Generator(2));
        var dropped = DropoutMlp.Build(32, 0.5, new Generator(1), new Generator(2));
        var x = Tensor.Randn([4, 1, 28, 28], generator: new Generator(3));

        Assert.NotEqual(plain.Call(x).ToArray<float>(), dropped.Call(x).ToArray<float>());
    }

    [Theory]
    [InlineData(new[] { 12.0, 11.0, 9.5 }, new[] { 88.0, 89.0, 90.5 }, 0.8, "supported")]
    [InlineData(new[] { 12.0, 12.3, 10.0 }, new[] { 88.0, 87.8, 90.0 }, 0.8, "supported")]     // a rise within tolerance
    [InlineData(new[] { 12.0, 11.5, 11.4 }, new[] { 88.0, 88.5, 88.6 }, 0.8, "inconclusive")]  // shrinks by < 1 point
    [InlineData(new[] { 12.0, 11.0, 10.5 }, new[] { 88.0, 89.0, 89.5 }, 1.8, "inconclusive")]  // shrink within the noise
    [InlineData(new[] { 12.0, 12.5, 13.0 }, new[] { 88.0, 87.5, 87.0 }, 0.8, "not supported")]  // the gap grows
    [InlineData(new[] { 12.0, 8.0, 5.0 }, new[] { 88.0, 85.0, 82.0 }, 0.8, "not supported")]    // smaller gap, worse test
    public void Gap_rule_cases(double[] gaps, double[] tests, double noise, string expected) =>
        Assert.Equal(expected, VerdictText.Of(GapRule.Decide(gaps, tests, noise)));

    [Fact]
    public void Ema_is_bias_corrected()
    {
        // s₁ = 0.5·2 = 1 → 1/(1 − 0.5) = 2; s₂ = 0.5·1 + 0.5·4 = 2.5 → 2.5/0.75.
        Assert.Equal([2, 2.5 / 0.75], LossSmoothing.Ema([2, 4], 0.5));
        Assert.Equal([3.0, 1.0], LossSmoothing.Ema([3, 1], 0));
    }

    [Fact]
    public void Standard_error_of_a_difference_adds_variances()
    {
        // √(0.9·0.1/10,000) = 0.003; two of them: 0.003·√2.
        Assert.Equal(0.003, AccuracyStatistics.StandardError(0.9, 10_000), 12);
        Assert.Equal(0.003 * Math.Sqrt(2), AccuracyStatistics.DifferenceStandardError(0.9, 0.1, 10_000), 12);
    }
}
