using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.Tensors;

[Collection(GlobalState.Name)]
public sealed class DefaultGeneratorTests
{
    [Fact]
    public void ManualSeed_MakesTheDefaultGeneratorReproducible()
    {
        Generator.ManualSeed(123);
        var a = Tensor.Randn([10]).ToArray<float>();
        var p = Tensor.RandPerm(10).ToArray<long>();

        Generator.ManualSeed(123);

        Assert.Equal(a, Tensor.Randn([10]).ToArray<float>());
        Assert.Equal(p, Tensor.RandPerm(10).ToArray<long>());
    }

    [Fact]
    public void ManualSeed_GivesTheSameStreamAsAGeneratorOfThatSeed()
    {
        Generator.ManualSeed(55);

        var fromDefault = Tensor.Rand([8], DType.Float64).ToArray<double>();

        Assert.Equal(Tensor.Rand([8], DType.Float64, new Generator(55)).ToArray<double>(), fromDefault);
    }
}
