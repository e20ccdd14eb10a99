using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

/// <summary>Initializers checked by the statistics they promise (sampling tolerance of several standard errors).</summary>
public sealed class InitTests
{
    private static (double Mean, double Var, double Min, double Max) Stats(Tensor t)
    {
        var v = t.To(DType.Float64).ToArray<double>();
        double mean = v.Average();
        return (mean, v.Select(x => (x - mean) * (x - mean)).Sum() / (v.Length - 1), v.Min(), v.Max());
    }

    [Fact]
    public void CalculateFans_ForConvWeight_MultiplyByReceptiveField()
    {
        var w = Tensor.Empty([64, 32, 3, 5]);
        Assert.Equal((32 * 15, 64 * 15), Init.CalculateFans(w));
        Assert.Equal((784, 256), Init.CalculateFans(Tensor.Empty([256, 784])));
    }

    [Fact]
    public void CalculateFans_RejectsVectors()
    {
        var e = Assert.Throws<ArgumentException>(() => Init.CalculateFans(Tensor.Empty([10])));
        Assert.Contains("at least 2 dimensions; got [10]", e.Message);
    }

    [Theory]
    [InlineData("linear", null, 1.0)]
    [InlineData("conv2d", null, 1.0)]
    [InlineData("sigmoid", null, 1.0)]
    [InlineData("tanh", null, 5.0 / 3)]
    [InlineData("relu", null, 1.4142135623730951)]
    [InlineData("leaky_relu", null, 1.4141428569978354)]   // √(2/(1+0.01²))
    [InlineData("leaky_relu", 0.2, 1.3867504905630728)]
    [InlineData("selu", null, 0.75)]
    public void CalculateGain_MatchesPyTorch(string nonlinearity, double? param, double expected) =>
        Assert.Equal(expected, Init.CalculateGain(nonlinearity, param), 12);

    [Fact]
    public void XavierUniform_HasBoundAndVarianceFromBothFans()
    {
        var w = Init.XavierUniform(Tensor.Empty([200, 300]), gain: 2, generator: new Generator(1));
        double a = 2 * Math.Sqrt(6.0 / 500);
        var (mean, variance, min, max) = Stats(w);
        Assert.InRange(min, -a, -0.99 * a);
        Assert.InRange(max, 0.99 * a, a);
        Assert.Equal(0, mean, 0.01 * a);
        Assert.Equal(a * a / 3, variance, 0.03 * a * a / 3);
    }

    [Fact]
    public void XavierNormal_HasStdFromBothFans()
    {
        var w = Init.XavierNormal(Tensor.Empty([200, 300]), generator: new Generator(2));
        double std = Math.Sqrt(2.0 / 500);
        var (mean, variance, _, _) = Stats(w);
        Assert.Equal(0, mean, 0.01 * std);
        Assert.Equal(std * std, variance, 0.03 * std * std);
    }

    [Theory]
    [InlineData("fan_in")]
    [InlineData("fan_out")]
    public void KaimingNormal_ForRelu_HasVarianceTwoOverFan(string mode)
    {
        var w = Init.KaimingNormal(Tensor.Empty([128, 64, 3, 3]), mode: mode, nonlinearity: "relu", generator: new Generator(3));
        int fan = mode == "fan_in" ? 64 * 9 : 128 * 9;
        var (mean, variance, _, _) = Stats(w);
        Assert.Equal(0, mean, 0.003);
        Assert.Equal(2.0 / fan, variance, 0.03 * 2.0 / fan);
    }

    [Fact]
    public void KaimingUniform_ForRelu_HasBoundSqrtSixOverFanIn()
    {
        var w = Init.KaimingUniform(Tensor.Empty([256, 400]), nonlinearity: "relu", generator: new Generator(4));
        double bound = Math.Sqrt(6.0 / 400);
        var (_, variance, min, max) = Stats(w);
        Assert.InRange(min, -bound, -0.99 * bound);
        Assert.InRange(max, 0.99 * bound, bound);
        Assert.Equal(bound * bound / 3, variance, 0.03 * bound * bound / 3);
    }

    [Fact]
    public void UniformNormalConstant_FillAsAsked()
    {
        var (m1, v1, min, max) = Stats(Init.Uniform(Tensor.Empty([100_000]), -3, 5, new Generator(5)));
        Assert.InRange(min, -3, -2.99);
        Assert.InRange(max, 4.99, 5);
        Assert.Equal(1, m1, 0.03);
        Assert.Equal(64.0 / 12, v1, 0.1);
        var (m2, v2, _, _) = Stats(Init.Normal(Tensor.Empty([100_000]), 2, 0.5, new Generator(6)));
        Assert.Equal(2, m2, 0.01);
        Assert.Equal(0.25, v2, 0.01);
        Assert.All(Init.Constant(Tensor.Empty([7]), 1.5).ToArray<float>(), v => Assert.Equal(1.5f, v));
        Assert.All(Init.Zeros(Tensor.Empty([3])).ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(Init.Ones(Tensor.Empty([3])).ToArray<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void TruncNormal_StaysInsideBounds_WithTruncatedVariance()
    {
        var (mean, variance, min, max) = Stats(Init.TruncNormal(Tensor.Empty([100_000]), 0, 1, -1, 1, new Generator(7)));
        Assert.InRange(min, -1, -0.99);
        Assert.InRange(max, 0.99, 1);
        Assert.Equal(0, mean, 0.01);
        Assert.Equal(0.2911, variance, 0.01);   // variance of N(0,1) truncated to [−1, 1]
    }

    [Theory]
    [InlineData(8, 5)]
    [InlineData(5, 8)]
    public void Orthogonal_GivesOrthonormalRowsOrColumns_ScaledByGain(int rows, int cols)
    {
        var w = Init.Orthogonal(Tensor.Empty([rows, cols], DType.Float64), gain: 2, generator: new Generator(8));
        var product = rows >= cols ? w.T.MatMul(w) : w.MatMul(w.T);
        int k = Math.Min(rows, cols);
        var expected = Tensor.Eye(k, dtype: DType.Float64).Mul(4);
        Assert.True(product.AllClose(expected, 1e-10, 1e-10));
    }

    [Fact]
    public void Orthogonal_OfConvWeight_FlattensTrailingDims()
    {
        var w = Init.Orthogonal(Tensor.Empty([4, 2, 3, 3]), generator: new Generator(9));
        var m = w.Reshape(4, 18);
        Assert.True(m.MatMul(m.T).AllClose(Tensor.Eye(4), 1e-5, 1e-5));
    }

    [Fact]
    public void Initializers_DoNotRecordAutograd_AndBumpTheVersion()
    {
        var p = Tensor.Empty([3, 3], requiresGrad: true);
        int v = p.Version;
        Init.XavierUniform(p);
        Assert.True(p.IsLeaf);
        Assert.True(p.Version > v);
    }
}
