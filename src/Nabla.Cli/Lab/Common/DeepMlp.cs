using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Common;

/// <summary>A deep multilayer perceptron for the lab's experiments on depth: <see cref="Depth"/> linear layers of width
/// <c>width</c> between the flattened input and the class logits, each hidden one followed (optionally) by batch
/// normalization and the activation, and (optionally) added to its input as a residual block.</summary>
/// <remarks>
/// Plain: h_l = f(W_l h_{l−1} + b_l). With batch norm: h_l = f(BN(W_l h_{l−1} + b_l)). Residual: h_l = h_{l−1} + f(·)
/// for the hidden layers 2 … Depth − 1, whose input and output widths match. Layer 1 maps the input to the width and the
/// last layer maps to the logits, without activation. Weights are drawn by the given initializer (He normal
/// N(0, 2/fan_in) by default), biases start at 0, so variants built from one generator seed differ only in the
/// activation, the normalization and the skip connections. Used by vanishing-exploding and initialization.
/// </remarks>
internal sealed class DeepMlp : Module<Tensor, Tensor>
{
    private readonly Linear[] layers;
    private readonly BatchNorm1d?[] norms;
    private readonly Func<Tensor, Tensor> activation;

    /// <summary>Builds the network; <paramref name="generator"/> draws the weights, by <paramref name="initialize"/>
    /// (weight, generator) or He normal when it is null.</summary>
    public DeepMlp(int inputs, int width, int classes, int depth, string activation, bool batchNorm, bool residual, Generator generator,
        Action<Tensor, Generator>? initialize = null)
    {
        initialize ??= (weight, g) => Init.KaimingNormal(weight, nonlinearity: "relu", generator: g);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 2);
        this.activation = activation switch
        {
            "sigmoid" => x => x.Sigmoid(),
            "relu" => x => x.Relu(),
            "tanh" => x => x.Tanh(),
            _ => throw new ArgumentException($"DeepMlp: unknown activation '{activation}'; expected sigmoid, relu or tanh", nameof(activation)),
        };
        (Residual, Depth) = (residual, depth);
        layers = new Linear[depth];
        norms = new BatchNorm1d?[depth];
        for (int l = 0; l < depth; l++)
        {
            int fanIn = l == 0 ? inputs : width, fanOut = l == depth - 1 ? classes : width;
            layers[l] = RegisterModule($"linear{l}", new Linear(fanIn, fanOut, generator: generator));
            initialize(layers[l].Weight, generator);
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
