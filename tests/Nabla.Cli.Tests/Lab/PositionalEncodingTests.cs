using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Experiments.PositionalEncoding;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>The positional-encoding experiment's task, its ceiling for position-blind models, and the equivariance check.</summary>
public sealed class PositionalEncodingTests
{
    [Fact]
    public void Reversal_labels_are_the_reversed_sequence()
    {
        var batch = ReversalTask.Sample(4, 7, 6, new Generator(1));
        var tokens = batch.Tokens.ToArray<long>();
        var labels = batch.Labels.ToArray<long>();
        for (int n = 0; n < 4; n++)
            for (int t = 0; t < 7; t++) Assert.Equal(tokens[n * 7 + 6 - t], labels[n * 7 + t]);
    }

    [Fact]
    public void Equivariant_ceiling_is_the_share_of_the_most_frequent_other_token()
    {
        // [0, 0, 1, 2]: from a 0, the other tokens are {0, 1, 2}, best 1/3; from the 1, {0, 0, 2}, best 2/3; from the 2,
        // {0, 0, 1}, best 2/3. Mean over the 4 positions: (1/3 + 1/3 + 2/3 + 2/3) / 4 = 1/2.
        var tokens = Tensor.FromArray<long>([0, 0, 1, 2], [1, 4]);
        var data = new TaggedBatch(tokens, Tensor.FromArray<long>([2, 1, 0, 0], [1, 4, 1]));
        Assert.Equal(0.5, ReversalTask.EquivariantCeiling(data, 3), 12);
        Assert.Throws<ArgumentException>(() => ReversalTask.EquivariantCeiling(ReversalTask.Sample(2, 5, 3, new Generator(2)), 3));
    }

    [Fact]
    public void A_tagger_without_positions_is_permutation_equivariant_and_one_with_positions_is_not()
    {
        var tokens = ReversalTask.Sample(8, 10, 10, new Generator(3)).Tokens;
        TokenTagger Model(PositionCode code) => new(new TaggerConfig(10, 10, 1, 10, 32, 4, 2, 64, code), new Generator(4));
        Assert.True(Equivariance.MaxDeviation(Model(PositionCode.None), tokens, new Generator(5)) < 1e-4);
        Assert.True(Equivariance.MaxDeviation(Model(PositionCode.Sinusoidal), tokens, new Generator(5)) > 1e-2);
        Assert.True(Equivariance.MaxDeviation(Model(PositionCode.Learned), tokens, new Generator(5)) > 1e-2);
    }

    [Fact]
    public void Permutation_is_a_shuffle_that_moves_something()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var p = Equivariance.Permutation(3, new Generator(seed));
            Assert.Equal([0L, 1, 2], p.Order());
            Assert.False(p.SequenceEqual([0L, 1, 2]));
        }
    }
}
