using Nabla.Cli.Lab.Experiments.Cnn;
using Nabla.Tensors;
using CnnModel = Nabla.Models.Cnn;

namespace Nabla.Cli.Tests.Lab;

/// <summary>cnn's parts: the rival MLP is the smallest with at least the CNN's parameters, the small CNN has the size
/// its documentation states, and the images are stretched and shaped as the report says.</summary>
public sealed class CnnTests
{
    [Theory]
    [InlineData(421_642L)]
    [InlineData(7_434L)]
    [InlineData(1L)]
    [InlineData(1_000_000L)]
    public void Matched_mlp_is_the_smallest_with_at_least_the_target(long target)
    {
        int h = MatchedMlp.HiddenFor(target, 784, 10);

        Assert.True(MatchedMlp.Parameters(784, h, 10) >= target);
        Assert.True(h == 1 || MatchedMlp.Parameters(784, h - 1, 10) < target);
    }

    [Fact]
    public void Matched_mlp_for_the_cnn_has_364_units_and_counts_like_the_module()
    {
        long cnn = new CnnModel(10, generator: new Generator(1)).ParameterCount();
        int h = MatchedMlp.HiddenFor(cnn, 784, 10);

        Assert.Equal(421_642, cnn);
        Assert.Equal(364, h);
        // 785·364 + 365·364 + 365·10 = 285,740 + 132,860 + 3,650.
        Assert.Equal(422_250, MatchedMlp.Build(784, h, 10, new Generator(2)).ParameterCount());
        Assert.Equal(422_250, MatchedMlp.Parameters(784, h, 10));
    }

    [Fact]
    public void Small_cnn_has_7434_parameters_and_gives_logits()
    {
        var small = new SmallCnn(10, new Generator(3));

        // conv1 8·25 + 8, conv2 16·8·25 + 16, fc 400·10 + 10.
        Assert.Equal(208 + 3_216 + 4_010, small.ParameterCount());
        Assert.Equal([5, 10], small.Call(Tensor.Rand([5, 1, 28, 28], generator: new Generator(4))).Shape);
    }

    [Fact]
    public void Stretch_maps_each_image_to_zero_one_and_constant_maps_to_black()
    {
        var maps = Tensor.FromArray<float>([1, 2, 3, 5, /* second map, constant */ 7, 7, 7, 7], [2, 2, 2]);

        var stretched = FeatureMaps.StretchEach(maps);

        Assert.Equal([2, 1, 2, 2], stretched.Shape);
        Assert.Equal([0f, 0.25f, 0.5f, 1f, 0f, 0f, 0f, 0f], stretched.ToArray<float>());
    }

    [Fact]
    public void Activations_and_filters_have_the_report_shapes_in_zero_one()
    {
        var cnn = new CnnModel(10, generator: new Generator(5));
        var image = Tensor.Rand([1, 1, 28, 28], generator: new Generator(6));

        var (conv1, conv2) = FeatureMaps.Activations(cnn, image);
        var filters = FeatureMaps.Filters(cnn.Conv1);

        Assert.Equal([32, 1, 28, 28], conv1.Shape);
        Assert.Equal([64, 1, 14, 14], conv2.Shape);
        Assert.Equal([32, 1, 3, 3], filters.Shape);
        Assert.True(cnn.Training);   // restored after evaluating
        foreach (var t in new[] { conv1, conv2, filters })
            Assert.All(t.ToArray<float>(), v => Assert.InRange(v, 0f, 1f));
    }
}
