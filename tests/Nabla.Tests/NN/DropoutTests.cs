using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

public sealed class DropoutTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void Dropout_ZeroesAFractionPAndScalesTheRestByOneOverOneMinusP(double p)
    {
        const int n = 200_000;
        var x = Tensor.Full([n], 2.0);
        var y = Functional.Dropout(x, p, generator: new Generator(42)).ToArray<float>();
        int zeros = y.Count(v => v == 0);
        // The count of zeros is Binomial(n, p): within 5 standard deviations of n·p.
        double sigma = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(zeros, n * p - 5 * sigma, n * p + 5 * sigma);
        float kept = (float)(2.0 / (1 - p));
        Assert.All(y, v => Assert.True(v == 0 || v == kept, $"value {v} is neither 0 nor 2/(1 − p) = {kept}"));
    }

    [Fact]
    public void Dropout_InEvalModeOrWithPZero_ReturnsTheInputItself()
    {
        var x = Tensor.Randn([3, 4]);
        Assert.Same(x, Functional.Dropout(x, 0.5, training: false));
        Assert.Same(x, Functional.Dropout(x, 0));
        var layer = new Dropout(0.5);
        layer.Eval();
        Assert.Same(x, layer.Call(x));
    }

    [Fact]
    public void Dropout_WithPOne_GivesZerosAndZeroGradient()
    {
        var x = Tensor.Randn([5], DType.Float64, new Generator(1), requiresGrad: true);
        var y = Functional.Dropout(x, 1);
        Assert.All(y.ToArray<double>(), v => Assert.Equal(0, v));
        y.Sum().Backward();
        Assert.All(x.Grad!.ToArray<double>(), v => Assert.Equal(0, v));   // Backward set it
    }

    [Fact]
    public void Dropout_WithSameSeed_ReproducesTheMask()
    {
        var x = Tensor.Ones([1000]);
        var a = Functional.Dropout(x, 0.3, generator: new Generator(7)).ToArray<float>();
        var b = Functional.Dropout(x, 0.3, generator: new Generator(7)).ToArray<float>();
        var c = Functional.Dropout(x, 0.3, generator: new Generator(8)).ToArray<float>();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);

        Generator.ManualSeed(123);
        var d = Functional.Dropout(x, 0.3).ToArray<float>();
        Generator.ManualSeed(123);
        Assert.Equal(d, Functional.Dropout(x, 0.3).ToArray<float>());
    }

    [Fact]
    public void Dropout_Backward_IsUpstreamTimesTheScaledMask()
    {
        var x = Tensor.Randn([50], DType.Float64, new Generator(3), requiresGrad: true);
        var y = Functional.Dropout(x, 0.4, generator: new Generator(4));
        y.Sum().Backward();
        var g = x.Grad!.ToArray<double>();   // Backward set it
        var ys = y.ToArray<double>();
        var xs = x.Detach().ToArray<double>();
        for (int i = 0; i < g.Length; i++)
        {
            Assert.True(g[i] == 0 || Math.Abs(g[i] - 1 / 0.6) < 1e-12, $"gradient {g[i]} is neither 0 nor 1/(1 − p)");
            Assert.Equal(g[i] * xs[i], ys[i], 12);
        }
        GradCheck.Assert(t => Functional.Dropout(t[0], 0.4, generator: new Generator(5)), Tensor.Randn([4, 5], DType.Float64, new Generator(6), requiresGrad: true));
    }

    [Fact]
    public void Dropout2d_ZeroesWholeChannels()
    {
        var x = Tensor.Ones([8, 16, 3, 3]);
        var y = Functional.Dropout2d(x, 0.5, generator: new Generator(9));
        int zeroChannels = 0;
        for (int n = 0; n < 8; n++)
            for (int c = 0; c < 16; c++)
            {
                var channel = y.Select(0, n).Select(0, c).ToArray<float>();
                Assert.True(channel.All(v => v == 0) || channel.All(v => v == 2), $"channel ({n}, {c}) is mixed");
                if (channel[0] == 0) zeroChannels++;
            }
        Assert.InRange(zeroChannels, 32, 96);   // Binomial(128, 0.5): mean 64, sd ≈ 5.7
    }

    [Fact]
    public void Dropout1dAnd3d_AcceptUnbatchedInputs()
    {
        var y1 = Functional.Dropout1d(Tensor.Ones([6, 10]), 0.5, generator: new Generator(10));
        for (int c = 0; c < 6; c++)
            Assert.Single(y1.Select(0, c).ToArray<float>().Distinct());
        var y3 = Functional.Dropout3d(Tensor.Ones([4, 2, 2, 2]), 0.5, generator: new Generator(11));
        for (int c = 0; c < 4; c++)
            Assert.Single(y3.Select(0, c).ToArray<float>().Distinct());
    }

    [Fact]
    public void Dropout_ThrowsForBadProbabilityRankAndDType()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Dropout(Tensor.Ones([2]), 1.5));
        Assert.StartsWith("Dropout: probability p must be between 0 and 1; got 1.5.", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1));
        var e2 = Assert.Throws<ShapeMismatchException>(() => Functional.Dropout2d(Tensor.Ones([2, 3]), 0.5));
        Assert.Equal("Dropout2d: expected a 3-d or 4-d input ([N, C, ...] with 2 spatial dimensions); got [2, 3].", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Functional.Dropout(Tensor.Zeros([2], DType.Int64), 0.5));
        Assert.Equal("Dropout: input [2] has dtype int64; expected float32 or float64.", e3.Message);
    }

    [Fact]
    public void DropoutModule_UsesItsTrainingFlag()
    {
        var layer = new Dropout(0.5, new Generator(12));
        var x = Tensor.Ones([100]);
        Assert.Contains(0f, layer.Call(x).ToArray<float>());
        layer.Eval();
        Assert.Same(x, layer.Call(x));
        Assert.Equal("Dropout(p=0.5)", layer.Describe());
    }
}
