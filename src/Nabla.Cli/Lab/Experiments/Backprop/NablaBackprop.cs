using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Backprop;

/// <summary><see cref="TinyMlp"/> run through Nabla's float64 tensors: the loss, its gradient by autograd, and its
/// gradient by finite differences of the loss alone.</summary>
internal static class NablaBackprop
{
    /// <summary>L and ∂L/∂θ from one forward pass recorded by autograd and <c>loss.Backward()</c>.</summary>
    public static (double Loss, double[] Gradient) Autograd(TinyMlp net)
    {
        var (w1, b1, w2, b2) = Parameters(net, requiresGrad: true);
        var loss = Loss(net, w1, b1, w2, b2);
        loss.Backward();
        double[] gradient = [.. GradOf(w1), .. GradOf(b1), .. GradOf(w2), .. GradOf(b2)];
        return (loss.Item(), gradient);
    }

    /// <summary>L at θ, without recording a graph.</summary>
    public static double Loss(TinyMlp net)
    {
        using var _ = Tensor.NoGrad();
        var (w1, b1, w2, b2) = Parameters(net, requiresGrad: false);
        return Loss(net, w1, b1, w2, b2).Item();
    }

    /// <summary>Central differences (L(θ + εe_i) − L(θ − εe_i)) / 2ε: error O(ε²) from truncation plus O(u/ε) from
    /// rounding (u ≈ 1.1e-16).</summary>
    public static double[] CentralDifferences(TinyMlp net, double epsilon)
    {
        var gradient = new double[TinyMlp.ParameterCount];
        for (int i = 0; i < gradient.Length; i++)
            gradient[i] = (Loss(net.With(i, net.Theta[i] + epsilon)) - Loss(net.With(i, net.Theta[i] - epsilon))) / (2 * epsilon);
        return gradient;
    }

    /// <summary>Forward differences (L(θ + εe_i) − L(θ)) / ε: error O(ε) + O(u/ε), for contrast.</summary>
    public static double[] ForwardDifferences(TinyMlp net, double epsilon)
    {
        double at = Loss(net);
        var gradient = new double[TinyMlp.ParameterCount];
        for (int i = 0; i < gradient.Length; i++)
            gradient[i] = (Loss(net.With(i, net.Theta[i] + epsilon)) - at) / epsilon;
        return gradient;
    }

    // L = MSE(σ(Linear(tanh(Linear(x; W₁, b₁)); W₂, b₂)), y) for one example [1, 2] → [1, 1].
    private static Tensor Loss(TinyMlp net, Tensor w1, Tensor b1, Tensor w2, Tensor b2)
    {
        var x = Tensor.FromArray<double>(net.X, [1, TinyMlp.Inputs]);
        var y = Tensor.FromArray<double>([net.Y], [1, 1]);
        var h = Functional.Linear(x, w1, b1).Tanh();
        var yHat = Functional.Linear(h, w2, b2).Sigmoid();
        return Functional.MseLoss(yHat, y);
    }

    private static (Tensor W1, Tensor B1, Tensor W2, Tensor B2) Parameters(TinyMlp net, bool requiresGrad)
    {
        const int hidden = TinyMlp.Hidden, inputs = TinyMlp.Inputs;
        var theta = net.Theta.AsSpan();
        return (Tensor.FromArray<double>(theta[..(hidden * inputs)], [hidden, inputs], requiresGrad),
            Tensor.FromArray<double>(theta.Slice(TinyMlp.B1Index(0), hidden), [hidden], requiresGrad),
            Tensor.FromArray<double>(theta.Slice(TinyMlp.W2Index(0), hidden), [1, hidden], requiresGrad),
            Tensor.FromArray<double>(theta.Slice(TinyMlp.B2Index, 1), [1], requiresGrad));
    }

    private static double[] GradOf(Tensor parameter) =>
        parameter.Grad?.ToArray<double>() ?? throw new InvalidOperationException("backprop: autograd left a parameter without a gradient");
}
