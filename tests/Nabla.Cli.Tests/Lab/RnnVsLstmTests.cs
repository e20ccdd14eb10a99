using Nabla.Cli.Lab.Common;
using Nabla.Models;
using Nabla.Models.Tasks;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>rnn-vs-lstm's gradient profile: indexed by the distance back from the last step, each sequence's own
/// gradient, and the fitted decay rate.</summary>
public sealed class RnnVsLstmTests
{
    [Fact]
    public void Without_recurrent_weights_only_the_last_input_reaches_the_loss()
    {
        // With W_hh = 0 and b = 0, h_T = tanh(W_ih·x_T) and the loss depends on x_(T−1−k) only for k = 0.
        var task = new RecallTask(6);
        var model = new RecurrentClassifier(RecurrentKind.Rnn, task.InputSize, 8, task.Outputs, new Generator(1));
        using (Tensor.NoGrad())
            foreach (var (name, p) in model.Rnn.NamedParameters().Where(p => p.Name.StartsWith("weight_hh", StringComparison.Ordinal)))
                p.Zero_();
        var (x, y) = task.Sample(5, new Generator(2));

        var g = InputGradients.Profile(model, task, x, y);

        Assert.Equal(6, g.Length);
        Assert.True(g[0] > 1e-3, $"g_0 = {g[0]}");
        Assert.All(g[1..], v => Assert.Equal(0, v));
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Profile_is_the_mean_of_each_sequences_own_gradient_norm()
    {
        var task = new RecallTask(5);
        var model = new RecurrentClassifier(RecurrentKind.Lstm, task.InputSize, 6, task.Outputs, new Generator(3));
        var (x, y) = task.Sample(4, new Generator(4));

        var batch = InputGradients.Profile(model, task, x, y);
        var single = Enumerable.Range(0, 4).Select(b => InputGradients.Profile(model, task, x.Narrow(0, b, 1), y.Narrow(0, b, 1))).ToList();

        for (int k = 0; k < 5; k++)
            Assert.Equal(single.Average(s => s[k]), batch[k], 1e-6);
        // By hand for sequence 0 at k = 0: ‖∂L_0/∂x_(0,T−1)‖ from autograd directly.
        var x0 = x.Narrow(0, 0, 1).Clone().RequiresGrad_();
        task.Loss(model.Call(x0), y.Narrow(0, 0, 1)).Backward();
        double expected = Math.Sqrt(x0.Grad!.Select(1, 4).To(DType.Float64).Pow(2).Sum().Item());
        Assert.Equal(expected, single[0][0], 1e-6);
    }

    [Fact]
    public void Slope_is_the_orders_of_magnitude_lost_per_step_ignoring_zeros()
    {
        double[] profile = [.. Enumerable.Range(0, 10).Select(k => 3 * Math.Pow(10, -0.5 * k)), 0, 0];
        Assert.Equal(-0.5, InputGradients.Log10SlopePerStep(profile), 9);
        Assert.Equal(0, InputGradients.Log10SlopePerStep([1e-3]));
    }
}
