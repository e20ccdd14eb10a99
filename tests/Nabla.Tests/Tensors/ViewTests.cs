using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.Tensors;

public sealed class ViewTests
{
    private static Tensor Matrix3x4() => Tensor.Arange(0, 12, 1).View(3, 4);

    [Fact]
    public void View_SharesStorage_AndAnInPlaceChangeShowsInTheBase()
    {
        var x = Matrix3x4();
        var v = x.View(2, 6);

        v.Select(0, 1).Add_(100);   // second row of the view = elements 6..11 of the base

        Assert.True(v.SharesStorageWith(x));
        Expect.Values(x, [3, 4], [0, 1, 2, 3, 4, 5, 106, 107, 108, 109, 110, 111]);
    }

    [Theory]
    [InlineData("Transpose")]
    [InlineData("T")]
    [InlineData("Permute")]
    [InlineData("Slice")]
    [InlineData("Narrow")]
    [InlineData("Select")]
    [InlineData("Unsqueeze")]
    [InlineData("Squeeze")]
    [InlineData("Flatten")]
    [InlineData("Reshape contiguous")]
    [InlineData("Expand")]
    [InlineData("Detach")]
    [InlineData("Contiguous of contiguous")]
    public void ViewOps_ShareStorageWithTheirBase(string op)
    {
        var x = Matrix3x4();

        var v = op switch
        {
            "Transpose" => x.Transpose(0, 1),
            "T" => x.T,
            "Permute" => x.Permute(1, 0),
            "Slice" => x.Slice(1, 0, 4, 2),
            "Narrow" => x.Narrow(0, 1, 2),
            "Select" => x.Select(1, 2),
            "Unsqueeze" => x.Unsqueeze(1),
            "Squeeze" => x.Unsqueeze(0).Squeeze(),
            "Flatten" => x.Flatten(),
            "Reshape contiguous" => x.Reshape(4, 3),
            "Expand" => x.Select(0, 0).Expand(5, 4),
            "Detach" => x.Detach(),
            _ => x.Contiguous(),
        };

        Assert.True(v.SharesStorageWith(x), $"{op} copied");
    }

    [Theory]
    [InlineData("Clone")]
    [InlineData("Contiguous of transposed")]
    [InlineData("Reshape of transposed")]
    [InlineData("To Float64")]
    [InlineData("Add")]
    public void CopyingOps_DoNotShareStorage(string op)
    {
        var x = Matrix3x4();

        var c = op switch
        {
            "Clone" => x.Clone(),
            "Contiguous of transposed" => x.T.Contiguous(),
            "Reshape of transposed" => x.T.Reshape(12),
            "To Float64" => x.To(DType.Float64),
            _ => x + 0,
        };

        Assert.False(c.SharesStorageWith(x), $"{op} aliased its input");
    }

    [Fact]
    public void Transpose_SwapsStrides_AndIsNotContiguous()
    {
        var t = Matrix3x4().T;

        Assert.Equal([4, 3], t.Shape);
        Assert.Equal([1, 4], t.Strides);
        Assert.False(t.IsContiguous);
        Expect.Values(t, [4, 3], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    }

    [Fact]
    public void SliceWithStep_MultipliesTheStride()
    {
        var s = Matrix3x4().Slice(1, 1, 4, 2);

        Assert.Equal([3, 2], s.Shape);
        Assert.Equal([4, 2], s.Strides);
        Expect.Values(s, [3, 2], [1, 3, 5, 7, 9, 11]);
    }

    [Fact]
    public void Expand_UsesStrideZero()
    {
        var e = Tensor.FromArray<float>([1, 2, 3], [3, 1]).Expand(3, 4);

        Assert.Equal([1, 0], e.Strides);
        Expect.Values(e, [3, 4], [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    }

    [Fact]
    public void InPlaceThroughATransposedView_WritesTheRightElements()
    {
        var x = Matrix3x4();

        x.T.Select(0, 1).Mul_(-1);   // column 1 of x

        Expect.Values(x, [3, 4], [0, -1, 2, 3, 4, -5, 6, 7, 8, -9, 10, 11]);
    }

    [Fact]
    public void InPlaceThroughASlice_BumpsTheVersionSeenByTheBase()
    {
        var x = Matrix3x4();
        int before = x.Version;

        x.Slice(1, 0, 4, 3).Fill_(-1);

        Assert.Equal(before + 1, x.Version);
        Expect.Values(x, [3, 4], [-1, 1, 2, -1, -1, 5, 6, -1, -1, 9, 10, -1]);
    }

    [Fact]
    public void Copy_IntoAView_WritesThroughToTheBase()
    {
        var x = Tensor.Zeros([2, 3]);

        x.Select(1, 2).Copy_(Tensor.FromArray<float>([7, 8]));

        Expect.Values(x, [2, 3], [0, 0, 7, 0, 0, 8]);
    }

    [Fact]
    public void View_OfATransposedTensor_Throws_WhileReshapeCopies()
    {
        var t = Matrix3x4().T;

        var e = Assert.Throws<InvalidOperationException>(() => t.View(12));
        var r = t.Reshape(12);

        Assert.Equal("View: a tensor of shape [4, 3] and strides [1, 4] cannot be viewed as [12] without copying; use Reshape, or Contiguous() first.", e.Message);
        Expect.Values(r, [12], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
        Assert.False(r.SharesStorageWith(t));
    }

    [Fact]
    public void View_OfANonContiguousTensor_WorksWhenOnlyUnitDimsChange()
    {
        var t = Matrix3x4().T;

        var v = t.View(4, 1, 3);

        Assert.True(v.SharesStorageWith(t));
        Expect.Values(v, [4, 1, 3], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    }

    [Fact]
    public void View_SplittingAContiguousBlockOfAPermutedTensor_IsAView()
    {
        var x = Tensor.Arange(0, 24, 1).View(2, 3, 4);
        var p = x.Permute(1, 0, 2);   // [3, 2, 4], the last dim still contiguous

        var v = p.View(3, 2, 2, 2);

        Assert.True(v.SharesStorageWith(x));
        Assert.Equal(v.Contiguous().ToArray<float>(), p.Contiguous().ToArray<float>());
    }

    [Fact]
    public void View_OfANarrowedTensor_Throws()
    {
        var s = Matrix3x4().Narrow(1, 0, 3);   // rows of 3 with a gap of 1: cannot merge

        var e = Assert.Throws<InvalidOperationException>(() => s.View(9));

        Assert.StartsWith("View: a tensor of shape [3, 3] and strides [4, 1] cannot be viewed as [9] without copying", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void View_OfAStepSlicedTensor_MergesWhenTheStridesChain()
    {
        var s = Matrix3x4().Slice(1, 0, 4, 2);   // strides [4, 2]: 4 = 2·2, so a single stride-2 run

        var v = s.View(6);

        Assert.Equal([2], v.Strides);
        Expect.Values(v, [6], [0, 2, 4, 6, 8, 10]);
    }

    [Fact]
    public void Contiguous_OfAContiguousTensor_IsTheSameObject()
    {
        var x = Matrix3x4();

        Assert.Same(x, x.Contiguous());
    }

    [Fact]
    public void Detach_SharesStorageButLeavesTheGraph()
    {
        var x = Tensor.Ones([2], requiresGrad: true);
        var y = x * 2;

        var d = y.Detach();

        Assert.True(d.SharesStorageWith(y));
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
    }
}
