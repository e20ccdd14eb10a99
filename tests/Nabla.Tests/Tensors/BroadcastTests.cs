using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.Tensors;

public sealed class BroadcastTests
{
    [Theory]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 }, new[] { 2, 3, 4 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 1 }, new[] { 2, 3, 4 })]
    [InlineData(new int[0], new[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 5 }, new int[0], new[] { 5 })]
    [InlineData(new[] { 1 }, new[] { 2, 0 }, new[] { 2, 0 })]
    [InlineData(new[] { 2, 0, 3 }, new[] { 3 }, new[] { 2, 0, 3 })]
    [InlineData(new[] { 0 }, new[] { 1 }, new[] { 0 })]
    [InlineData(new[] { 1, 1 }, new[] { 1 }, new[] { 1, 1 })]
    public void Add_ResultHasTheBroadcastShape(int[] a, int[] b, int[] expected)
    {
        var x = Tensor.Zeros(a);
        var y = Tensor.Zeros(b);

        Assert.Equal(expected, (x + y).Shape);
        Assert.Equal(expected, (y + x).Shape);
    }

    [Fact]
    public void ColumnPlusRow_IsTheOuterSum()
    {
        var col = Tensor.FromArray<float>([0, 10, 20], [3, 1]);
        var row = Tensor.FromArray<float>([1, 2, 3, 4], [1, 4]);

        Expect.Values(col + row, [3, 4], [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24]);
    }

    [Fact]
    public void ZeroDimensionalWithMatrix_AppliesTheScalarToEveryElement()
    {
        var s = Tensor.Scalar(10);
        var m = Tensor.FromArray<float>([1, 2, 3, 4, 5, 6], [2, 3]);

        Expect.Values(s - m, [2, 3], [9, 8, 7, 6, 5, 4]);
        Expect.Values(m / Tensor.Scalar(2), [2, 3], [0.5, 1, 1.5, 2, 2.5, 3]);
    }

    [Fact]
    public void BroadcastAlongAMiddleDim_MatchesTheExplicitExpansion()
    {
        var a = Tensor.Arange(0, 6, 1).Reshape(2, 1, 3);
        var b = Tensor.FromArray<float>([100, 200], [2, 1]);

        var c = a + b;

        Expect.Values(c, [2, 2, 3], [100, 101, 102, 200, 201, 202, 103, 104, 105, 203, 204, 205]);
        Assert.True(c.AllClose(a.Expand(2, 2, 3) + b.Expand(2, 2, 3)));
    }

    [Fact]
    public void BroadcastAgainstAnEmptyDim_GivesAnEmptyResult()
    {
        var c = Tensor.Ones([2, 0, 3]) * Tensor.Ones([1, 1, 3]);

        Assert.Equal([2, 0, 3], c.Shape);
        Assert.Equal(0, c.NumEl);
    }

    [Theory]
    [InlineData(new[] { 5, 3 }, new[] { 4 }, "Add: shapes [5, 3] and [4] cannot be broadcast (dimension 1: 3 vs 4; each pair must be equal or 1).")]
    [InlineData(new[] { 2, 3 }, new[] { 3, 2 }, "Add: shapes [2, 3] and [3, 2] cannot be broadcast (dimension 0: 2 vs 3; each pair must be equal or 1).")]
    [InlineData(new[] { 0 }, new[] { 2 }, "Add: shapes [0] and [2] cannot be broadcast (dimension 0: 0 vs 2; each pair must be equal or 1).")]
    [InlineData(new[] { 2, 1, 3 }, new[] { 4, 2 }, "Add: shapes [2, 1, 3] and [4, 2] cannot be broadcast (dimension 2: 3 vs 2; each pair must be equal or 1).")]
    public void IncompatibleShapes_ThrowShapeMismatchNamingBothShapes(int[] a, int[] b, string message)
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros(a) + Tensor.Zeros(b));

        Assert.Equal(message, e.Message);
        Assert.Equal("Add", e.Op);
        Assert.Equal($"[{string.Join(", ", a)}]", e.Expected);
        Assert.Equal($"[{string.Join(", ", b)}]", e.Actual);
    }

    [Fact]
    public void Comparison_Broadcasts()
    {
        var col = Tensor.FromArray<float>([1, 2, 3], [3, 1]);
        var row = Tensor.FromArray<float>([2, 2], [1, 2]);

        var m = col.Ge(row);

        Assert.Equal(DType.Bool, m.DType);
        Assert.Equal([false, false, true, true, true, true], m.ToArray<bool>());
    }

    [Fact]
    public void Comparison_WithIncompatibleShapes_Throws()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros([3]).Lt(Tensor.Zeros([2])));

        Assert.Equal("Lt", e.Op);
    }

    [Fact]
    public void InPlaceAdd_CannotBroadcastTheTarget()
    {
        var target = Tensor.Zeros([3]);

        var e = Assert.Throws<ShapeMismatchException>(() => target.Add_(Tensor.Zeros([2, 3])));

        Assert.Equal("Add_: the result has shape [2, 3] but the in-place target has shape [3] (the target cannot be broadcast).", e.Message);
    }

    [Fact]
    public void InPlaceAdd_BroadcastsTheSource()
    {
        var target = Tensor.Zeros([2, 3]);

        target.Add_(Tensor.FromArray<float>([1, 2, 3]));

        Expect.Values(target, [2, 3], [1, 2, 3, 1, 2, 3]);
    }

    [Fact]
    public void BroadcastGradient_IsSummedBackToEachInputShape()
    {
        var col = Tensor.Ones([3, 1], requiresGrad: true);
        var row = Tensor.Ones([1, 4], requiresGrad: true);
        var s = Tensor.Scalar(1).RequiresGrad_();

        (col * row * s).Sum().Backward();

        Expect.Values(col.Grad!, [3, 1], [4, 4, 4]);
        Expect.Values(row.Grad!, [1, 4], [3, 3, 3, 3]);
        Expect.Values(s.Grad!, [], [12]);
    }
}
