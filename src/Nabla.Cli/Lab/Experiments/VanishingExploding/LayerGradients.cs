using Nabla.Cli.Lab.Common;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.VanishingExploding;

/// <summary>How much gradient reaches each layer: ‖∂L/∂W_l‖_F for every linear layer of a <see cref="DeepMlp"/>.</summary>
internal static class LayerGradients
{
    /// <summary>The Frobenius norm of each layer's weight gradient for one batch (input to output); the model's
    /// gradients are cleared before and after. NaN for a layer whose gradient is not finite.</summary>
    public static double[] Measure(DeepMlp net, Tensor inputs, Tensor targets)
    {
        net.ZeroGrad();
        Functional.CrossEntropy(net.Call(inputs), targets).Backward();
        var norms = new double[net.Depth];
        for (int l = 0; l < net.Depth; l++)
        {
            var grad = net.Weight(l).Grad;
            double norm = grad is null ? 0 : Math.Sqrt(grad.Pow(2).Sum().Item());
            norms[l] = double.IsFinite(norm) ? norm : double.NaN;
        }
        net.ZeroGrad();
        return norms;
    }

    /// <summary>ρ = ‖∂L/∂W₂‖ / ‖∂L/∂W_{L−1}‖: the first and the last hidden layer, both width × width, so the ratio
    /// compares like with like (the input and output layers have other shapes). ρ ≪ 1: vanishing; ρ ≫ 1: exploding.</summary>
    public static double Ratio(IReadOnlyList<double> norms) => norms[1] / norms[^2];
}
