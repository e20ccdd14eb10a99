using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.Autograd;

/// <summary>The values written by the in-place ops (their autograd behaviour is in <see cref="EngineTests"/>).</summary>
public sealed class InPlaceTests
{
    [Fact]
    public void ArithmeticInPlaceOps_WriteTheirResultAndReturnThis()
    {
        var t = Tensor.FromArray<float>([1, 2, 3]);

        var r = t.Add_(1).Mul_(2).Sub_(1).Div_(2);

        Assert.Same(t, r);
        Expect.Values(t, [3], [1.5, 2.5, 3.5]);
    }

    [Fact]
    public void TensorInPlaceOps_BroadcastTheOperand()
    {
        var t = Tensor.Ones([2, 2]);

        t.Add_(Tensor.FromArray<float>([1, 2]), alpha: 2).Mul_(Tensor.FromArray<float>([10, 1], [2, 1]))
            .Sub_(Tensor.Scalar(1)).Div_(Tensor.FromArray<float>([1, 2]));

        Expect.Values(t, [2, 2], [29, 24.5, 2, 2]);
    }

    [Fact]
    public void ClampAndRelu_InPlace()
    {
        var t = Tensor.FromArray<float>([-2, -0.5f, 0.5f, 2]);

        t.Clamp_(-1, 1);
        Expect.Values(t, [4], [-1, -0.5, 0.5, 1]);

        t.Relu_();
        Expect.Values(t, [4], [0, 0, 0.5, 1]);
    }

    [Fact]
    public void Fill_OverwritesNaNAndInfinity()
    {
        var t = Tensor.FromArray<float>([float.NaN, float.PositiveInfinity, 1]);

        t.Fill_(3);

        Expect.Values(t, [3], [3, 3, 3]);
    }

    [Fact]
    public void Zero_OverwritesNaN()
    {
        var t = Tensor.FromArray<double>([double.NaN, double.NegativeInfinity]);

        t.Zero_();

        Expect.Values(t, [2], [0, 0]);
    }

    [Fact]
    public void Fill_WorksOnIntegerTensors()
    {
        var t = Tensor.Arange(4);

        t.Fill_(7);

        Assert.Equal([7L, 7, 7, 7], t.ToArray<long>());
    }

    [Fact]
    public void Copy_OverwritesWhateverTheTargetHeld()
    {
        var t = Tensor.FromArray<float>([float.NaN, float.PositiveInfinity]);

        t.Copy_(Tensor.FromArray<float>([1, 2]));

        Expect.Values(t, [2], [1, 2]);
    }

    [Fact]
    public void Copy_ConvertsTheDTypeAndBroadcasts()
    {
        var t = Tensor.Zeros([2, 3]);

        t.Copy_(Tensor.FromArray<double>([1.5, 2.5, 3.5]));

        Expect.Values(t, [2, 3], [1.5, 2.5, 3.5, 1.5, 2.5, 3.5]);
    }

    [Fact]
    public void Copy_IntoAnIntegerTensor()
    {
        var t = Tensor.Zeros([3], DType.Int64);

        t.Copy_(Tensor.FromArray<long>([4, 5, 6]));

        Assert.Equal([4L, 5, 6], t.ToArray<long>());
    }

    [Fact]
    public void Copy_FromAnOverlappingView_ReadsTheOldValues()
    {
        var t = Tensor.FromArray<float>([1, 2, 3, 4]);

        t.Narrow(0, 1, 3).Copy_(t.Narrow(0, 0, 3));   // shift right by one

        Expect.Values(t, [4], [1, 1, 2, 3]);
    }
}
