using Nabla.Autograd;
using Nabla.Tensors;

namespace Nabla.Tests.Autograd;

public sealed class SmokeTests
{
    [Fact]
    public void MatMul_Backward_MatchesFiniteDifferences()
    {
        var a = Tensor.Randn([3, 4], DType.Float64, new Generator(1), requiresGrad: true);
        var b = Tensor.Randn([4, 5], DType.Float64, new Generator(2), requiresGrad: true);
        GradCheck.Assert(x => x[0].MatMul(x[1]), a, b);
    }

    [Fact]
    public void SoftmaxOfZeroAndLn2_IsOneThirdTwoThirds()
    {
        var x = Tensor.FromArray<float>([0f, MathF.Log(2)]);
        var y = x.Softmax(-1).ToArray<float>();
        Assert.Equal(1f / 3, y[0], 1e-6f);
        Assert.Equal(2f / 3, y[1], 1e-6f);
    }
}
