using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>The feed-forward activation of the Transformer layers, named as PyTorch's <c>activation</c> argument.</summary>
internal static class FeedForwardActivation
{
    /// <summary>Checks the name: "relu" or "gelu" (exact GELU, as PyTorch's F.gelu).</summary>
    public static string Check(string layer, string activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (activation is not ("relu" or "gelu"))
            throw new ArgumentException($"{layer}: activation should be \"relu\" or \"gelu\", not \"{activation}\".", nameof(activation));
        return activation;
    }

    /// <summary>relu(x) or gelu(x).</summary>
    public static Tensor Apply(string activation, Tensor x) => activation == "relu" ? x.Relu() : x.Gelu();
}
