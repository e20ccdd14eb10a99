using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public sealed class GeneratorTests
{
    [Fact]
    public void SameSeed_GivesTheSameStream()
    {
        var a = new Generator(42);
        var b = new Generator(42);

        for (int i = 0; i < 1000; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentStreams()
    {
        var a = new Generator(1);
        var b = new Generator(2);

        int equal = 0;
        for (int i = 0; i < 1000; i++) if (a.NextUInt64() == b.NextUInt64()) equal++;

        Assert.Equal(0, equal);
    }

    [Fact]
    public void ManualSeedThis_RestartsTheStream()
    {
        var g = new Generator(9);
        var first = Enumerable.Range(0, 5).Select(_ => g.NextDouble()).ToArray();

        g.ManualSeedThis(9);

        Assert.Equal(first, Enumerable.Range(0, 5).Select(_ => g.NextDouble()).ToArray());
    }

    [Fact]
    public void SetState_ResumesTheStreamWhereGetStateLeftIt()
    {
        var g = new Generator(77);
        for (int i = 0; i < 10; i++) g.NextUInt64();
        var state = g.GetState();
        var expected = Enumerable.Range(0, 20).Select(_ => g.NextUInt64()).ToArray();

        var resumed = new Generator(0);
        resumed.SetState(state);

        Assert.Equal(expected, Enumerable.Range(0, 20).Select(_ => resumed.NextUInt64()).ToArray());
    }

    [Fact]
    public void SetState_RestoresTheCachedSecondNormal()
    {
        var g = new Generator(5);
        g.NextNormal();   // Box–Muller made two values; the second is cached in the state
        var state = g.GetState();
        var expected = Enumerable.Range(0, 7).Select(_ => g.NextNormal()).ToArray();

        g.SetState(state);

        Assert.True(state.HasCachedNormal);
        Assert.Equal(expected, Enumerable.Range(0, 7).Select(_ => g.NextNormal()).ToArray());
    }

    [Fact]
    public void NextDouble_IsUniform_WithMeanHalfAndVarianceOneTwelfth()
    {
        var g = new Generator(100);
        var v = Enumerable.Range(0, 200_000).Select(_ => g.NextDouble()).ToArray();

        Assert.All(v, x => Assert.True(x is >= 0 and < 1));
        // 5 standard errors: mean 3.2e-3, variance 8.5e-4.
        Assert.Equal(0.5, v.Average(), 0.0033);
        Assert.Equal(1.0 / 12, Variance(v), 0.00085);
        // Each tenth of [0, 1) holds ≈ 10 % (σ ≈ 6.7e-4 of the fraction).
        for (int bin = 0; bin < 10; bin++)
            Assert.Equal(0.1, v.Count(x => (int)(x * 10) == bin) / (double)v.Length, 0.0034);
    }

    [Fact]
    public void NextSingle_IsInZeroOne_WithMeanHalf()
    {
        var g = new Generator(101);
        var v = Enumerable.Range(0, 100_000).Select(_ => g.NextSingle()).ToArray();

        Assert.All(v, x => Assert.True(x is >= 0 and < 1));
        Assert.Equal(0.5, v.Average(x => (double)x), 0.0046);
    }

    [Fact]
    public void NextNormal_HasMeanZeroVarianceOneAndNoSkew()
    {
        var g = new Generator(102);
        var v = Enumerable.Range(0, 200_000).Select(_ => g.NextNormal()).ToArray();

        double mean = v.Average();
        double variance = Variance(v);
        double skew = v.Average(x => Math.Pow(x - mean, 3));
        double kurtosis = v.Average(x => Math.Pow(x - mean, 4));

        // 5 standard errors: mean 0.011, variance 0.016, third moment √(15/n) → 0.043, fourth √(96/n) → 0.11.
        Assert.Equal(0, mean, 0.011);
        Assert.Equal(1, variance, 0.016);
        Assert.Equal(0, skew, 0.043);
        Assert.Equal(3, kurtosis, 0.11);
    }

    [Fact]
    public void NextInt64_StaysBelowTheBoundAndHitsEveryValue()
    {
        var g = new Generator(103);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[g.NextInt64(7)]++;

        // 10,000 expected each, σ ≈ 93; allow 5σ.
        Assert.All(counts, c => Assert.InRange(c, 10_000 - 470, 10_000 + 470));
    }

    [Fact]
    public void NextInt64_OfOne_IsAlwaysZero()
    {
        var g = new Generator(104);

        for (int i = 0; i < 100; i++) Assert.Equal(0, g.NextInt64(1));
    }

    [Fact]
    public void NextInt64_NonPositiveBound_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Generator(1).NextInt64(0));

        Assert.StartsWith("Generator.NextInt64: bound 0 must be positive.", e.Message, StringComparison.Ordinal);
    }

    private static double Variance(double[] v)
    {
        double mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
    }
}
