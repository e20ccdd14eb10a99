using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public sealed class FormatTests
{
    [Fact]
    public void WholeFloats_PrintWithATrailingDot()
    {
        Assert.Equal("tensor([1., 2., 3.], shape=[3], dtype=float32)", Tensor.FromArray<float>([1, 2, 3]).ToString());
    }

    [Fact]
    public void Matrix_PrintsAlignedRowsWithFourDecimals()
    {
        var t = Tensor.FromArray<float>([1.5f, -2.25f, 3f, 4f], [2, 2]);

        Assert.Equal(
            "tensor([[ 1.5000, -2.2500],\n" +
            "        [ 3.0000,  4.0000]], shape=[2, 2], dtype=float32)",
            t.ToString());
    }

    [Fact]
    public void ThreeDimensions_SeparateBlocksWithABlankLine()
    {
        var t = Tensor.Arange(0, 8, 1).View(2, 2, 2);

        Assert.Equal(
            "tensor([[[0., 1.],\n" +
            "         [2., 3.]],\n" +
            "\n" +
            "        [[4., 5.],\n" +
            "         [6., 7.]]], shape=[2, 2, 2], dtype=float32)",
            t.ToString());
    }

    [Fact]
    public void ZeroDimensional_PrintsTheBareValue()
    {
        Assert.Equal("tensor(3.5000, shape=[], dtype=float64)", Tensor.Scalar(3.5, DType.Float64).ToString());
    }

    [Fact]
    public void Integers_PrintWithoutDecimals()
    {
        Assert.Equal("tensor([ 0,  1, -5, 12], shape=[4], dtype=int64)", Tensor.FromArray<long>([0, 1, -5, 12]).ToString());
    }

    [Fact]
    public void Booleans_PrintAsTrueAndFalse()
    {
        Assert.Equal("tensor([ True, False], shape=[2], dtype=bool)", Tensor.FromArray<bool>([true, false]).ToString());
    }

    [Fact]
    public void NaNAndInfinity_PrintAsPyTorchDoes()
    {
        Assert.Equal("tensor([   nan,    inf,   -inf, 1.5000], shape=[4], dtype=float32)",
            Tensor.FromArray<float>([float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1.5f]).ToString());
    }

    [Fact]
    public void WideMagnitudes_SwitchToScientificNotation()
    {
        Assert.Equal("tensor([1.0000e-05, 1.0000e+00], shape=[2], dtype=float64)",
            Tensor.FromArray<double>([1e-5, 1]).ToString());
    }

    [Fact]
    public void Empty_PrintsEmptyBracketsAndTheShape()
    {
        Assert.Equal("tensor([], shape=[0, 3], dtype=float32)", Tensor.Zeros([0, 3]).ToString());
    }

    [Fact]
    public void LargeVector_IsAbbreviatedToThreeItemsEachSide()
    {
        var t = Tensor.Arange(0, 2000, 1);

        Assert.Equal("tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.], shape=[2000], dtype=float32)", t.ToString());
    }

    [Fact]
    public void LargeMatrix_AbbreviatesRowsAndColumns()
    {
        var s = Tensor.Arange(0, 100 * 100, 1).View(100, 100).ToString();

        Assert.StartsWith("tensor([[   0.,    1.,    2., ...,   97.,   98.,   99.],\n", s, StringComparison.Ordinal);
        Assert.Contains("        ...,\n", s, StringComparison.Ordinal);
        Assert.EndsWith("[9900., 9901., 9902., ..., 9997., 9998., 9999.]], shape=[100, 100], dtype=float32)", s, StringComparison.Ordinal);
        Assert.Equal(7, s.Split('\n').Length);   // 3 rows, "...", 3 rows
    }

    [Fact]
    public void AtTheThreshold_NothingIsAbbreviated()
    {
        Assert.DoesNotContain("...", Tensor.Zeros([1000]).ToString(), StringComparison.Ordinal);
        Assert.Contains("...", Tensor.Zeros([1001]).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LeafThatRequiresGrad_SaysSo()
    {
        Assert.Equal("tensor([0., 0.], shape=[2], dtype=float32, requires_grad=True)", Tensor.Zeros([2], requiresGrad: true).ToString());
    }

    [Fact]
    public void ResultOfAnOp_NamesItsGradFn()
    {
        var x = Tensor.Ones([2], requiresGrad: true);

        Assert.Equal("tensor([2., 2.], shape=[2], dtype=float32, grad_fn=<AddBackward>)", (x + x).ToString());
        Assert.EndsWith("grad_fn=<MatMulBackward>)", Tensor.Ones([2, 2], requiresGrad: true).MatMul(Tensor.Ones([2, 2])).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TransposedView_PrintsInLogicalOrder()
    {
        var t = Tensor.Arange(0, 6, 1).View(2, 3).T;

        Assert.Equal(
            "tensor([[0., 3.],\n" +
            "        [1., 4.],\n" +
            "        [2., 5.]], shape=[3, 2], dtype=float32)",
            t.ToString());
    }
}
