using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.VanishingExploding;

/// <summary>The deep network of the experiment: <see cref="Depth"/> linear layers of width <c>width</c> between the
/// input and the class logits, each hidden one followed (optionally) by batch normalization and the activation, and
/// (optionally) added to its input as a residual block.</summary>
/// <remarks>
/// Plain: h_l = f(W_l h_{l−1} + b_l). With batch norm: h_l = f(BN(W_l h_{l−1} + b_l)). Residual: h_l = h_{l−1} + f(·)
/// for the hidden layers 2 … Depth − 1, whose input and output widths match. Layer 1 maps the input to the width and the
/// last layer maps to the logits, without activation. Weights start as He normal N(0, 2/fan_in) in every variant, biases
/// at 0, so variants differ only in the activation, the normalization and the skip connections.
/// </remarks>
internal sealed class DeepNet : Module<Tensor, Tensor>
{
    private readonly Linear[] layers;
    private readonly BatchNorm1d?[] norms;
    private readonly Func<Tensor, Tensor> activation;

    /// <summary>Builds the network; <paramref name="generator"/> draws the weights.</summary>
    public DeepNet(int inputs, int width, int classes, int depth, string activation, bool batchNorm, bool residual, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 2);
        this.activation = activation switch
        {
            "sigmoid" => x => x.Sigmoid(),
            "relu" => x => x.Relu(),
            "tanh" => x => x.Tanh(),
            _ => throw new ArgumentException($"DeepNet: unknown activation '{activation}'; expected sigmoid, relu or tanh", nameof(activation)),
        };
        (Residual, Depth) = (residual, depth);
        layers = new Linear[depth];
        norms = new BatchNorm1d?[depth];
        for (int l = 0; l < depth; l++)
        {
            int fanIn = l == 0 ? inputs : width, fanOut = l == depth - 1 ? classes : width;
            layers[l] = RegisterModule($"linear{l}", new Linear(fanIn, fanOut, generator: generator));
            Init.KaimingNormal(layers[l].Weight, nonlinearity: "relu", generator: generator);
            Init.Zeros(layers[l].Bias!);
            if (batchNorm && l < depth - 1) norms[l] = RegisterModule($"norm{l}", new BatchNorm1d(fanOut));
        }
    }

    /// <summary>Linear layers, input to output.</summary>
    public int Depth { get; }

    /// <summary>Whether hidden layers are residual blocks.</summary>
    public bool Residual { get; }

    /// <summary>The weight of linear layer <paramref name="layer"/> (0-based, from the input).</summary>
    public Parameter Weight(int layer) => layers[layer].Weight;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var h = input.Flatten(1);
        for (int l = 0; l < Depth - 1; l++)
        {
            var z = layers[l].Call(h);
            if (norms[l] is { } norm) z = norm.Call(z);
            var a = activation(z);
            h = Residual && l > 0 ? h + a : a;
        }
        return layers[^1].Call(h);
    }
}
