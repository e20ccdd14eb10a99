using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>max(x, 0) (<c>nn.ReLU</c>).</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>x for x &gt; 0, else slope·x (<c>nn.LeakyReLU</c>).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module<Tensor, Tensor>
{
    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc/>
    public override string Describe() => $"LeakyReLU({NegativeSlope})";
}

/// <summary>x for x &gt; 0, else α(eˣ − 1) (<c>nn.ELU</c>).</summary>
public sealed class ELU(double alpha = 1.0) : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Elu(alpha);
}

/// <summary>x·Φ(x) (<c>nn.GELU</c>).</summary>
public sealed class GELU(string approximate = "none") : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Gelu(approximate);
}

/// <summary>1/(1 + e⁻ˣ) (<c>nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>tanh x (<c>nn.Tanh</c>).</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>(1/β)·ln(1 + e^(βx)) (<c>nn.Softplus</c>).</summary>
public sealed class Softplus(double beta = 1, double threshold = 20) : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softplus(beta, threshold);
}

/// <summary>Softmax along a dimension (<c>nn.Softmax</c>).</summary>
public sealed class Softmax(int dim) : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softmax(dim);
}

/// <summary>Log-softmax along a dimension (<c>nn.LogSoftmax</c>).</summary>
public sealed class LogSoftmax(int dim) : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(dim);
}

/// <summary>Passes its input through (<c>nn.Identity</c>).</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input;
}

/// <summary>Merges dims startDim..endDim (<c>nn.Flatten</c>, default from dim 1 to keep the batch).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
}
