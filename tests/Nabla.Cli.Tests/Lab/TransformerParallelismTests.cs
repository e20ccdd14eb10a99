using Nabla.Cli.Lab.Experiments.TransformerParallelism;
using Nabla.Models.Language;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>transformer-parallelism: the FLOP counts match the models' own weight matrices, the Transformer is causal,
/// and medians are medians.</summary>
public sealed class TransformerParallelismTests
{
    private const int D = 16, Vocabulary = 32, Layers = 2, Batch = 3, Length = 7;

    // Forward FLOPs of the matrix products of a model's weights: 2 × (weights in matrices other than the embedding) per token.
    private static double WeightFlops(Nabla.NN.Module model) => 2.0 * Batch * Length *
        model.NamedParameters().Where(p => p.Parameter.Dim == 2 && !p.Name.StartsWith("embedding", StringComparison.Ordinal)).Sum(p => (double)p.Parameter.NumEl);

    [Fact]
    public void Lstm_cost_is_three_times_its_weight_products()
    {
        var lstm = new LstmLanguageModel(Vocabulary, D, D, Layers, 0, new Generator(1));
        Assert.Equal(3 * WeightFlops(lstm), StepCost.Lstm(Batch, Length, D, Layers, Vocabulary), 6);
    }

    [Fact]
    public void Transformer_cost_is_three_times_its_weight_products_plus_attention()
    {
        var transformer = new CausalTransformer(Vocabulary, D, 4, 2 * D, Layers, 16, new Generator(2));
        double attention = 3.0 * Batch * Length * Layers * 4.0 * Length * D;   // Q·Kᵀ and A·V: 2·T·d each per token
        Assert.Equal(3 * WeightFlops(transformer) + attention, StepCost.Transformer(Batch, Length, D, 2 * D, Layers, Vocabulary), 6);
    }

    [Fact]
    public void Transformer_is_causal()
    {
        var model = new CausalTransformer(Vocabulary, D, 4, 2 * D, Layers, 16, new Generator(3));
        var a = Tensor.FromArray<long>([1, 2, 3, 4, 5], [1, 5]);
        var b = Tensor.FromArray<long>([1, 2, 3, 9, 9], [1, 5]);
        var ya = model.Call(a);
        var yb = model.Call(b);
        Assert.True(ya.Narrow(1, 0, 3).AllClose(yb.Narrow(1, 0, 3), 1e-5, 1e-6));
        Assert.False(ya.Narrow(1, 3, 2).AllClose(yb.Narrow(1, 3, 2), 1e-5, 1e-6));
    }

    [Fact]
    public void Critical_path_grows_with_length_for_the_lstm_only()
    {
        Assert.Equal((2 * Layers * 64, 16 * Layers), StepCost.CriticalPath(64, Layers));
        Assert.Equal(StepCost.CriticalPath(8, Layers).Transformer, StepCost.CriticalPath(512, Layers).Transformer);
    }

    [Fact]
    public void Median_of_odd_and_even_counts()
    {
        Assert.Equal(2, StepTimer.Median([3, 1, 2]));
        Assert.Equal(2.5, StepTimer.Median([4, 1, 3, 2]));
    }
}
