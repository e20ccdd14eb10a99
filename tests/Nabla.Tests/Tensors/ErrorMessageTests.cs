using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>Bad input across the public API: each message names the op, what was given and what was expected.</summary>
public sealed class ErrorMessageTests
{
    [Fact]
    public void MatMul_ThrowsForMismatchedInnerDimensions()
    {
        var a = Tensor.Zeros([32, 1568]);
        var b = Tensor.Zeros([784, 256]);

        var e = Assert.Throws<ShapeMismatchException>(() => a.MatMul(b));

        Assert.Equal("MatMul: inner dimensions differ: [32, 1568] · [784, 256] (1568 ≠ 784).", e.Message);
        Assert.Equal("MatMul", e.Op);
    }

    [Fact]
    public void MatMul_ThrowsForAZeroDimensionalOperand()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Scalar(2).MatMul(Tensor.Zeros([2])));

        Assert.Equal("MatMul: both operands must have at least one dimension; got [] · [2].", e.Message);
    }

    [Fact]
    public void MatMul_1D_WithMismatchedLength_NamesTheOriginalShapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros([3]).MatMul(Tensor.Zeros([4, 5])));

        Assert.Contains("(3 ≠ 4)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinearLayer_ThrowsForTheWrongNumberOfInputFeatures()
    {
        var layer = new Linear(784, 256, generator: new Generator(0));

        var e = Assert.Throws<ShapeMismatchException>(() => layer.Call(Tensor.Zeros([32, 1568])));

        Assert.Equal("Linear(784 → 256): input [32, 1568] must end in 784 features.", e.Message);
        Assert.Equal("Linear", e.Op);
    }

    [Fact]
    public void Linear_ThrowsForABiasOfTheWrongShape()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Functional.Linear(Tensor.Zeros([2, 4]), Tensor.Zeros([3, 4]), Tensor.Zeros([4])));

        Assert.Equal("Linear(4 → 3): bias must have shape [3]; got [4].", e.Message);
    }

    [Fact]
    public void BinaryOp_ThrowsForMixedDTypes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2]) + Tensor.Zeros([2], DType.Float64));

        Assert.Equal("Add: dtypes differ: float32 [2] and float64 [2]; convert one with To(DType) first.", e.Message);
    }

    [Fact]
    public void BinaryOp_ThrowsForIntegerTensors()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange(3).Mul(Tensor.Arange(3)));

        Assert.Equal("Mul: dtype int64 is not supported; expected float32 or float64.", e.Message);
    }

    [Fact]
    public void UnaryOp_ThrowsForIntegerTensors()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange(3).Exp());

        Assert.Equal("Exp: dtype int64 is not supported; expected float32 or float64.", e.Message);
    }

    [Fact]
    public void Sum_ThrowsForBoolTensors()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2], DType.Bool).Sum());

        Assert.Equal("Sum: dtype bool is not supported; expected float32 or float64.", e.Message);
    }

    [Theory]
    [InlineData("Sum", "Sum: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("Mean", "Mean: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("Max", "Max: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("Softmax", "Softmax: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("LogSoftmax", "LogSoftmax: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("Transpose", "Transpose: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("Narrow", "Narrow: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("Select", "Select: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("Size", "Size: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("Flatten", "Flatten: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    [InlineData("Var", "Var: dimension 2 is out of range for a tensor of rank 2 (expected -2..1).")]
    public void OutOfRangeDim_ThrowsNamingTheOpAndTheValidRange(string op, string message)
    {
        var x = Tensor.Zeros([2, 3]);
        Action call = op switch
        {
            "Sum" => () => x.Sum(2),
            "Mean" => () => x.Mean(2),
            "Max" => () => x.Max(2),
            "Softmax" => () => x.Softmax(2),
            "LogSoftmax" => () => x.LogSoftmax(2),
            "Transpose" => () => x.Transpose(0, 2),
            "Narrow" => () => x.Narrow(2, 0, 1),
            "Select" => () => x.Select(2, 0),
            "Size" => () => x.Size(2),
            "Flatten" => () => x.Flatten(0, 2),
            _ => () => x.Var(2),
        };

        var e = Assert.Throws<ArgumentOutOfRangeException>(call);

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsqueeze_OutOfRange_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros([2, 3]).Unsqueeze(3));

        Assert.StartsWith("Unsqueeze: dimension 3 is out of range for a tensor of rank 2 (expected -3..2).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_IndexOutOfRange_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros([2, 3]).Select(1, 3));

        Assert.StartsWith("Select: index 3 is out of range for dimension 1 of size 3.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Narrow_RangePastTheEnd_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros([2, 3]).Narrow(1, 2, 2));

        Assert.StartsWith("Narrow: range start 2, length 2 does not fit dimension 1 of size 3.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Slice_NonPositiveStep_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([4]).Slice(0, 0, 4, 0));

        Assert.Equal("Slice: step must be positive; got 0.", e.Message);
    }

    [Fact]
    public void Sum_RepeatedDim_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).Sum([1, -1]));

        Assert.Equal("Sum: dimension 1 appears more than once.", e.Message);
    }

    [Fact]
    public void Reshape_WrongElementCount_Throws()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros([2, 3]).Reshape(4));

        Assert.Equal("Reshape: shape [4] has 4 elements but the tensor [2, 3] has 6.", e.Message);
    }

    [Fact]
    public void Reshape_TwoInferredDims_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).Reshape(-1, -1));

        Assert.Equal("Reshape: only one dimension can be -1 in [-1, -1].", e.Message);
    }

    [Fact]
    public void Permute_RepeatedDim_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3, 4]).Permute(0, 2, 0));

        Assert.Equal("Permute: dimension 0 repeats in [0, 2, 0].", e.Message);
    }

    [Fact]
    public void Permute_WrongNumberOfDims_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).Permute(1, 0, 2));

        Assert.Equal("Permute: 3 dimensions given for a tensor of rank 2 [2, 3].", e.Message);
    }

    [Fact]
    public void T_OfA3DTensor_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3, 4]).T);

        Assert.Equal("T: expects a 2-D tensor; got shape [2, 3, 4]. Use Transpose or Permute.", e.Message);
    }

    [Fact]
    public void Expand_ToFewerDims_Throws()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Zeros([2, 3]).Expand(3));

        Assert.Equal("Expand: target [3] has fewer dimensions than the tensor [2, 3].", e.Message);
    }

    [Fact]
    public void Item_OfSeveralElements_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 2]).Item());

        Assert.Equal("Item: tensor of shape [2, 2] has 4 elements; expected exactly 1.", e.Message);
    }

    [Fact]
    public void ToArray_OfTheWrongElementType_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2]).ToArray<double>());

        Assert.Equal("ToArray: tensor has dtype float32 but Double was requested.", e.Message);
    }

    [Fact]
    public void Indexer_WrongRankOrOutOfRange_Throws()
    {
        var x = Tensor.Zeros([2, 3]);

        Assert.Equal("Indexer: 1 indices given for a tensor of rank 2.", Assert.Throws<ArgumentException>(() => x[0]).Message);
        Assert.StartsWith("Indexer: index 3 is out of range for dimension 1 of size 3.",
            Assert.Throws<ArgumentOutOfRangeException>(() => x[0, 3]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiresGrad_OnAnIntegerTensor_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange(3).RequiresGrad_());

        Assert.Equal("RequiresGrad: dtype int64 is not supported; expected float32, float64 or complex64 (only floating-point and complex tensors can require gradients).", e.Message);
    }

    [Fact]
    public void Backward_WithAGradientOfTheWrongShape_Throws()
    {
        var y = Tensor.Ones([2, 3], requiresGrad: true) * 2;

        var e = Assert.Throws<ShapeMismatchException>(() => y.Backward(Tensor.Ones([3, 2])));

        Assert.Equal("Backward: the gradient has shape [3, 2] (float32) but the output has shape [2, 3] (float32).", e.Message);
    }

    [Fact]
    public void Backward_WithAGradientOfTheWrongDType_Throws()
    {
        var y = Tensor.Ones([2], requiresGrad: true) * 2;

        var e = Assert.Throws<ShapeMismatchException>(() => y.Backward(Tensor.Ones([2], DType.Float64)));

        Assert.Equal("Backward: the gradient has shape [2] (float64) but the output has shape [2] (float32).", e.Message);
    }

    [Fact]
    public void Softmax_OfAnIntegerTensor_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Arange(3).Softmax(0));

        Assert.Equal("Softmax: dtype int64 is not supported; expected float32 or float64.", e.Message);
    }

    [Fact]
    public void Max_OverAnEmptyDim_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([0, 3]).Max(0));

        Assert.Equal("Max: cannot reduce over dimension 0 of size 0 (shape [0, 3]).", e.Message);
    }
}
