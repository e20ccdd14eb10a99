using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Stateless functions behind the layers (<c>torch.nn.functional</c>).</summary>
public static partial class Functional
{
    /// <summary>y = x·Wᵀ + b (<c>F.linear</c>). x [..., in], W [out, in], b [out].</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => LinearOp.Apply(input, weight, bias);

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => x.Relu();

    /// <summary>Leaky ReLU with the given negative slope.</summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01) => x.LeakyRelu(negativeSlope);

    /// <summary>ELU with scale α.</summary>
    public static Tensor Elu(Tensor x, double alpha = 1.0) => x.Elu(alpha);

    /// <summary>GELU, exact or with the tanh approximation.</summary>
    public static Tensor Gelu(Tensor x, string approximate = "none") => x.Gelu(approximate);

    /// <summary>Logistic sigmoid.</summary>
    public static Tensor Sigmoid(Tensor x) => x.Sigmoid();

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => x.Tanh();

    /// <summary>Softplus (1/β)·ln(1 + e^(βx)).</summary>
    public static Tensor Softplus(Tensor x, double beta = 1, double threshold = 20) => x.Softplus(beta, threshold);

    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public static Tensor Softmax(Tensor x, int dim) => x.Softmax(dim);

    /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
    public static Tensor LogSoftmax(Tensor x, int dim) => x.LogSoftmax(dim);
}
