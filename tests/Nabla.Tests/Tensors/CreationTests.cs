using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.Tensors;

public sealed class CreationTests
{
    [Fact]
    public void Zeros_IsFloat32ZerosOfTheShape()
    {
        var t = Tensor.Zeros([2, 3]);

        Assert.Equal(DType.Float32, t.DType);
        Assert.False(t.RequiresGrad);
        Assert.True(t.IsContiguous);
        Expect.Values(t, [2, 3], [0, 0, 0, 0, 0, 0]);
    }

    [Fact]
    public void Ones_WithDTypeAndRequiresGrad_IsALeafThatRequiresGrad()
    {
        var t = Tensor.Ones([2, 2], DType.Float64, requiresGrad: true);

        Assert.Equal(DType.Float64, t.DType);
        Assert.True(t.RequiresGrad);
        Assert.True(t.IsLeaf);
        Expect.Values(t, [2, 2], [1, 1, 1, 1]);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    public void Full_FillsEveryElementInTheDType(DType dtype)
    {
        var t = Tensor.Full([3], 7, dtype);

        Assert.Equal(dtype, t.DType);
        Expect.Values(t, [3], [7, 7, 7]);
    }

    [Fact]
    public void Full_BoolIsTrueForNonZero()
    {
        Assert.Equal([true, true], Tensor.Full([2], 3, DType.Bool).ToArray<bool>());
        Assert.Equal([false], Tensor.Full([1], 0, DType.Bool).ToArray<bool>());
    }

    [Fact]
    public void ZerosWithAZeroDim_IsEmpty()
    {
        var t = Tensor.Zeros([2, 0, 3]);

        Assert.Equal(0, t.NumEl);
        Assert.Equal([2, 0, 3], t.Shape);
        Assert.Empty(t.ToArray<float>());
    }

    [Fact]
    public void Scalar_IsZeroDimensionalWithOneElement()
    {
        var t = Tensor.Scalar(2.5, DType.Float64);

        Assert.Equal(0, t.Dim);
        Assert.Equal(1, t.NumEl);
        Assert.Empty(t.Shape);
        Assert.Equal(2.5, t.Item());
    }

    [Fact]
    public void ZerosLikeAndOnesLike_CopyShapeAndDType()
    {
        var like = Tensor.Zeros([2, 3], DType.Float64);

        var z = Tensor.ZerosLike(like);
        var o = Tensor.OnesLike(like);

        Assert.Equal(DType.Float64, z.DType);
        Assert.Equal(DType.Float64, o.DType);
        Expect.Values(o, [2, 3], [1, 1, 1, 1, 1, 1]);
        Expect.Values(z, [2, 3], [0, 0, 0, 0, 0, 0]);
    }

    [Fact]
    public void Arange_WithFloatStep_ExcludesTheEnd()
    {
        var t = Tensor.Arange(0, 1, 0.25);

        Assert.Equal(DType.Float32, t.DType);
        Expect.Values(t, [4], [0, 0.25, 0.5, 0.75]);
    }

    [Fact]
    public void Arange_WithNegativeStep_CountsDown()
    {
        Expect.Values(Tensor.Arange(5, 0, -2, DType.Float64), [3], [5, 3, 1]);
    }

    [Fact]
    public void Arange_NonIntegerSpan_RoundsTheCountUp()
    {
        // ⌈(1 − 0)/0.3⌉ = 4 values: 0, 0.3, 0.6, 0.9
        Expect.Values(Tensor.Arange(0, 1, 0.3, DType.Float64), [4], [0, 0.3, 0.6, 0.8999999999999999], 1e-15);
    }

    [Fact]
    public void ArangeOfEnd_IsInt64FromZero()
    {
        var t = Tensor.Arange(5);

        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal([0L, 1, 2, 3, 4], t.ToArray<long>());
    }

    [Fact]
    public void Arange_ZeroStep_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 1, 0));

        Assert.StartsWith("Arange: step must be non-zero.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arange_StepAwayFromTheEnd_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 5, -1));

        Assert.Equal("Arange: range [0, 5) with step -1 goes the wrong way.", e.Message);
    }

    [Fact]
    public void Linspace_IncludesBothEnds()
    {
        var t = Tensor.Linspace(0, 1, 5, DType.Float64);

        Expect.Values(t, [5], [0, 0.25, 0.5, 0.75, 1]);
    }

    [Fact]
    public void Linspace_LastValueIsExactlyTheEnd()
    {
        var t = Tensor.Linspace(-1.3, 2.7, 7, DType.Float64).ToArray<double>();

        Assert.Equal(-1.3, t[0]);
        Assert.Equal(2.7, t[^1]);
        for (int i = 1; i < t.Length; i++) Assert.Equal(4.0 / 6, t[i] - t[i - 1], 12);
    }

    [Fact]
    public void Linspace_OneStepIsTheStart_ZeroStepsIsEmpty()
    {
        Expect.Values(Tensor.Linspace(3, 9, 1), [1], [3]);
        Assert.Equal(0, Tensor.Linspace(3, 9, 0).NumEl);
    }

    [Fact]
    public void Eye_IsTheIdentity()
    {
        Expect.Values(Tensor.Eye(3), [3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    }

    [Fact]
    public void Eye_Rectangular_HasOnesOnTheMainDiagonal()
    {
        Expect.Values(Tensor.Eye(2, 3, DType.Float64), [2, 3], [1, 0, 0, 0, 1, 0]);
        Expect.Values(Tensor.Eye(3, 2), [3, 2], [1, 0, 0, 1, 0, 0]);
    }

    [Fact]
    public void Rand_IsUniformOnZeroOne_WithMeanHalfAndVarianceOneTwelfth()
    {
        const int n = 200_000;
        var v = Tensor.Rand([n], DType.Float64, new Generator(11)).ToArray<double>();

        Assert.All(v, x => Assert.InRange(x, 0, 0.9999999999));
        // Standard errors: mean √(1/12/n) ≈ 6.5e-4, variance ≈ √(1/180/n) ≈ 1.7e-4; allow 5σ.
        Assert.Equal(0.5, v.Average(), 0.0033);
        Assert.Equal(1.0 / 12, Variance(v), 0.0009);
    }

    [Fact]
    public void Rand_Float32_StaysBelowOne()
    {
        var v = Tensor.Rand([100_000], generator: new Generator(3)).ToArray<float>();

        Assert.All(v, x => Assert.True(x is >= 0 and < 1, $"{x} outside [0, 1)"));
    }

    [Fact]
    public void Randn_HasMeanZeroAndVarianceOne()
    {
        const int n = 200_000;
        var v = Tensor.Randn([n], DType.Float64, new Generator(12)).ToArray<double>();

        // Standard errors: mean 1/√n ≈ 2.2e-3, variance √(2/n) ≈ 3.2e-3; allow 5σ.
        Assert.Equal(0, v.Average(), 0.011);
        Assert.Equal(1, Variance(v), 0.016);
        // Tails of N(0, 1): P(|x| > 2) = 4.55 %.
        Assert.Equal(0.0455, v.Count(x => Math.Abs(x) > 2) / (double)n, 0.003);
    }

    [Fact]
    public void Randn_SameSeed_SameValues_DifferentSeed_DifferentValues()
    {
        var a = Tensor.Randn([50], generator: new Generator(5)).ToArray<float>();
        var b = Tensor.Randn([50], generator: new Generator(5)).ToArray<float>();
        var c = Tensor.Randn([50], generator: new Generator(6)).ToArray<float>();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Rand_OfAnIntegerDType_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Rand([2], DType.Int64));

        Assert.Equal("Rand: dtype int64 is not supported; expected float32 or float64.", e.Message);
    }

    [Fact]
    public void RandInt_CoversEveryValueOfTheRangeEvenly()
    {
        const int n = 60_000;
        var v = Tensor.RandInt(-2, 4, [n], generator: new Generator(13)).ToArray<long>();

        Assert.All(v, x => Assert.InRange(x, -2, 3));
        // Each of the 6 values: n/6 = 10,000 expected, binomial σ ≈ 91; allow 5σ.
        foreach (var g in v.GroupBy(x => x)) Assert.InRange(g.Count(), 10_000 - 460, 10_000 + 460);
        Assert.Equal(6, v.Distinct().Count());
    }

    [Fact]
    public void RandInt_Int32DType_IsHonoured()
    {
        var t = Tensor.RandInt(0, 10, [5], DType.Int32, new Generator(1));

        Assert.Equal(DType.Int32, t.DType);
        Assert.All(t.ToArray<int>(), x => Assert.InRange(x, 0, 9));
    }

    [Fact]
    public void RandInt_EmptyRange_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.RandInt(3, 3, [2]));

        Assert.Equal("RandInt: high (3) must be greater than low (3).", e.Message);
    }

    [Fact]
    public void RandPerm_IsAPermutation()
    {
        var p = Tensor.RandPerm(100, new Generator(4)).ToArray<long>();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), p.Order());
        Assert.NotEqual(Enumerable.Range(0, 100).Select(i => (long)i), p);
    }

    [Fact]
    public void RandPerm_PutsEachValueFirstEquallyOften()
    {
        var g = new Generator(21);
        var counts = new int[4];
        for (int i = 0; i < 8000; i++) counts[Tensor.RandPerm(4, g).ToArray<long>()[0]]++;

        // 2000 expected each, binomial σ ≈ 39; allow 5σ.
        Assert.All(counts, c => Assert.InRange(c, 2000 - 200, 2000 + 200));
    }

    [Fact]
    public void RandPerm_SameSeed_SamePermutation()
    {
        Assert.Equal(Tensor.RandPerm(20, new Generator(8)).ToArray<long>(), Tensor.RandPerm(20, new Generator(8)).ToArray<long>());
    }

    [Fact]
    public void FromArray_CopiesTheData()
    {
        float[] data = [1, 2, 3, 4, 5, 6];

        var t = Tensor.FromArray<float>(data, [2, 3]);
        data[0] = 100;

        Expect.Values(t, [2, 3], [1, 2, 3, 4, 5, 6]);
        Assert.Equal([3, 1], t.Strides);
    }

    [Fact]
    public void FromArray_WithoutShape_Is1D()
    {
        var t = Tensor.FromArray<long>([4, 5, 6]);

        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal([3], t.Shape);
    }

    [Fact]
    public void FromArray_2DArray_KeepsRowsAndColumns()
    {
        var t = Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });

        Expect.Values(t, [2, 3], [1, 2, 3, 4, 5, 6]);
    }

    [Fact]
    public void FromArray_ShapeThatDoesNotFit_ThrowsNamingBoth()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.FromArray<float>([1, 2, 3, 4, 5], [2, 3]));

        Assert.Equal("FromArray: shape [2, 3] needs 6 values but 5 were given.", e.Message);
    }

    [Fact]
    public void Wrap_SharesMemoryWithTheArray()
    {
        double[] data = [1, 2, 3, 4];

        var t = Tensor.Wrap(data, [2, 2]);
        data[3] = 40;
        t.Mul_(2);

        Expect.Values(t, [2, 2], [2, 4, 6, 80]);
        Assert.Equal([2.0, 4, 6, 80], data);
    }

    [Fact]
    public void Wrap_ShapeThatDoesNotFit_Throws()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Wrap(new float[5], [2, 2]));

        Assert.Equal("Wrap: shape [2, 2] needs 4 values but the array has 5.", e.Message);
    }

    private static double Variance(double[] v)
    {
        double mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
    }
}
