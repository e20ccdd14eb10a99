using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Experiments.MultiHead;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>The multi-head experiment's task, its offset profile, and the tagger model it trains.</summary>
public sealed class MultiHeadTests
{
    [Fact]
    public void Offset_copy_labels_are_the_tokens_at_the_offsets_or_ignored()
    {
        int[] offsets = [-2, 1];
        var batch = OffsetCopyTask.Sample(3, 6, 5, offsets, new Generator(1));
        var tokens = batch.Tokens.ToArray<long>();
        var labels = batch.Labels.ToArray<long>();
        Assert.Equal([3, 6, 2], batch.Labels.Shape);
        for (int n = 0; n < 3; n++)
            for (int t = 0; t < 6; t++)
                for (int k = 0; k < offsets.Length; k++)
                {
                    int source = t + offsets[k];
                    long expected = source is >= 0 and < 6 ? tokens[n * 6 + source] : TaggedBatch.Ignore;
                    Assert.Equal(expected, labels[(n * 6 + t) * 2 + k]);
                }
        Assert.All(tokens, v => Assert.InRange(v, 0, 4));
    }

    [Fact]
    public void Offset_profile_finds_a_head_that_always_looks_one_back()
    {
        // Head 0 puts all weight on t − 1 (t = 0 on itself); head 1 is uniform.
        int length = 5;
        var w = new float[2 * length * length];
        for (int t = 0; t < length; t++)
        {
            w[t * length + Math.Max(0, t - 1)] = 1;
            for (int j = 0; j < length; j++) w[length * length + t * length + j] = 1f / length;
        }
        var profile = AttentionOffsets.Profile(Tensor.FromArray<float>(w, [1, 2, length, length]));
        Assert.Equal(1, profile[0, -1 + length - 1], 6);
        Assert.Equal(0.2, profile[0, 0 + length - 1], 6);   // only t = 0 looks at itself: 1 of 5
        Assert.Equal(0, profile[0, 1 + length - 1], 6);
        Assert.Equal(1.0 / length, profile[1, 3 + length - 1], 6);
        Assert.Equal((-1, 1.0), AttentionOffsets.Strongest(profile, 0, 1)[0], new OffsetComparer());
    }

    [Fact]
    public void Tagger_attention_maps_have_one_distribution_per_head_and_query()
    {
        var config = new TaggerConfig(7, 7, 2, 6, 16, 4, 2, 32, PositionCode.Sinusoidal);
        var model = new TokenTagger(config, new Generator(2));
        var tokens = OffsetCopyTask.Sample(3, 6, 7, [-1, 1], new Generator(3)).Tokens;
        Assert.Equal([3, 6, 2, 7], model.Call(tokens).Shape);
        var maps = model.AttentionMaps(tokens);
        Assert.Equal(2, maps.Count);
        Assert.Equal([3, 4, 6, 6], maps[0].Shape);
        var sums = maps[1].Sum(-1).ToArray<float>();
        Assert.All(sums, s => Assert.Equal(1f, s, 5));
        Assert.True(model.Training);
    }

    [Fact]
    public void Every_head_count_has_the_same_number_of_parameters()
    {
        long Count(int heads) => new TokenTagger(new TaggerConfig(10, 10, 4, 16, 64, heads, 1, 128, PositionCode.Sinusoidal), new Generator(0)).ParameterCount();
        Assert.Equal(Count(1), Count(8));
    }

    [Fact]
    public void Trainer_scores_perfect_predictions_as_one()
    {
        // Labels equal to the model's own predictions: every label right, every sequence right.
        var model = new TokenTagger(new TaggerConfig(5, 5, 1, 4, 8, 2, 1, 16, PositionCode.Learned), new Generator(4));
        var tokens = OffsetCopyTask.Sample(10, 4, 5, [1], new Generator(5)).Tokens;
        var predicted = TaggerTrainer.Predict(model, tokens);
        var labels = Tensor.FromArray<long>(predicted, [10, 4, 1]);
        var score = TaggerTrainer.Evaluate(model, new TaggedBatch(tokens, labels));
        Assert.Equal(1.0, score.Token);
        Assert.Equal(1.0, score.Sequence);
    }

    private sealed class OffsetComparer : IEqualityComparer<(int Offset, double Weight)>
    {
        public bool Equals((int Offset, double Weight) x, (int Offset, double Weight) y) => x.Offset == y.Offset && Math.Abs(x.Weight - y.Weight) < 1e-6;

        public int GetHashCode((int Offset, double Weight) obj) => obj.Offset;
    }
}
