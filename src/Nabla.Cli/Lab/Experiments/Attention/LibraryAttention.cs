using Nabla.Cli.Lab.Common;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Attention;

/// <summary>The toy sentence's attention computed by the library, two ways: the functional
/// <see cref="Functional.ScaledDotProductAttentionWithWeights"/> in float64, and a one-head
/// <see cref="MultiheadAttention"/> layer (float32, as its parameters are) given the same projections.</summary>
internal static class LibraryAttention
{
    /// <summary>What the library computed.</summary>
    /// <param name="Weights">The attention weights [L, L].</param>
    /// <param name="Output">The attended values [L, d].</param>
    /// <param name="Q">The queries [L, d], when the path exposes them.</param>
    /// <param name="K">The keys [L, d], when the path exposes them.</param>
    /// <param name="V">The values [L, d], when the path exposes them.</param>
    public sealed record Result(double[,] Weights, double[,] Output, double[,]? Q = null, double[,]? K = null, double[,]? V = null);

    /// <summary>Q, K, V by <see cref="Tensor.MatMul"/>, then the fused scaled dot-product attention, all in float64.</summary>
    public static Result ThroughFunctional(ToySentence sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        using var _ = Tensor.NoGrad();
        var x = TensorGrid.ToTensor(sentence.Embeddings);
        var q = x.MatMul(TensorGrid.ToTensor(sentence.Query));
        var k = x.MatMul(TensorGrid.ToTensor(sentence.Key));
        var v = x.MatMul(TensorGrid.ToTensor(sentence.Value));
        var attended = Functional.ScaledDotProductAttentionWithWeights(q, k, v);
        // WithWeights always returns the weights.
        return new Result(TensorGrid.Of(attended.Weights!), TensorGrid.Of(attended.Output), TensorGrid.Of(q), TensorGrid.Of(k), TensorGrid.Of(v));
    }

    /// <summary>A <c>MultiheadAttention(d, 1 head)</c> whose packed input projection holds W_Qᵀ, W_Kᵀ, W_Vᵀ (the layer
    /// computes x·Wᵀ), with zero biases and an identity output projection, run on X as query, key and value.</summary>
    public static Result ThroughModule(ToySentence sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        int d = sentence.Query.GetLength(1);
        var layer = new MultiheadAttention(d, 1, batchFirst: true, generator: new Generator(0));
        var projections = Tensor.Cat([TensorGrid.ToTensor(sentence.Query).T, TensorGrid.ToTensor(sentence.Key).T, TensorGrid.ToTensor(sentence.Value).T], 0);   // [3d, d]
        layer.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["in_proj_weight"] = projections.To(DType.Float32),
            ["in_proj_bias"] = Tensor.Zeros([3 * d]),
            ["out_proj.weight"] = Tensor.Eye(d),
            ["out_proj.bias"] = Tensor.Zeros([d]),
        });
        layer.Eval();
        using var _ = Tensor.NoGrad();
        var x = TensorGrid.ToTensor(sentence.Embeddings, DType.Float32).Unsqueeze(0);   // [1, L, d]
        var attended = layer.Forward(x, x, x, needWeights: true);
        // needWeights: true always returns the weights, here [1, L, L].
        return new Result(TensorGrid.Of(attended.Weights!.Select(0, 0)), TensorGrid.Of(attended.Output.Select(0, 0)));
    }
}
