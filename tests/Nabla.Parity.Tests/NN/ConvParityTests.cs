using Nabla.NN;
using Nabla.Tensors;
using TorchSharp;

namespace Nabla.Parity.Tests.NN;

/// <summary>Convolutions against TorchSharp: outputs and the gradients of input, weight and bias.</summary>
public sealed class ConvParityTests
{
    [Theory]
    [InlineData(1, 0, 1, 1)]
    [InlineData(2, 1, 1, 1)]
    [InlineData(1, 2, 2, 1)]
    [InlineData(2, 1, 1, 2)]
    [InlineData(1, 1, 1, 4)]
    public void Conv2d_MatchesTorch(int stride, int padding, int dilation, int groups) =>
        Parity.Assert([[2, 4, 9, 8], [8, 4 / groups, 3, 3], [8]],
            x => Functional.Conv2d(x[0], x[1], x[2], stride, padding, dilation, groups),
            x => torch.nn.functional.conv2d(x[0], x[1], x[2], strides: [stride, stride], padding: [padding, padding], dilation: [dilation, dilation], groups: groups),
            tolerance: 1e-4);

    [Fact]
    public void Conv2d_SamePadding_MatchesTorch() =>
        // Kernel 4×3: "same" pads 1 top / 2 bottom and 1 left / 1 right, the extra row at the bottom as PyTorch does;
        // the oracle pads explicitly (F.pad takes the last dim first: left, right, top, bottom).
        Parity.Assert([[1, 3, 7, 6], [5, 3, 4, 3]],
            x => Functional.Conv2d(x[0], x[1], padding: "same"),
            x => torch.nn.functional.conv2d(torch.nn.functional.pad(x[0], [1, 1, 1, 2]), x[1]),
            tolerance: 1e-4);

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(1, 1, 3)]
    public void Conv1d_MatchesTorch(int stride, int padding, int dilation) =>
        Parity.Assert([[3, 2, 17], [4, 2, 3], [4]],
            x => Functional.Conv1d(x[0], x[1], x[2], stride, padding, dilation),
            x => torch.nn.functional.conv1d(x[0], x[1], x[2], stride: stride, padding: padding, dilation: dilation),
            tolerance: 1e-4);

    [Theory]
    [InlineData(1, 0, 0, 1)]
    [InlineData(2, 1, 1, 1)]
    [InlineData(2, 1, 0, 2)]
    public void ConvTranspose2d_MatchesTorch(int stride, int padding, int outputPadding, int groups) =>
        Parity.Assert([[2, 4, 5, 4], [4, 6 / groups, 4, 4], [6]],
            x => Functional.ConvTranspose2d(x[0], x[1], x[2], stride, padding, outputPadding, groups),
            x => torch.nn.functional.conv_transpose2d(x[0], x[1], x[2], strides: [stride, stride], padding: [padding, padding], output_padding: [outputPadding, outputPadding], groups: groups),
            tolerance: 1e-4);

    [Fact]
    public void Conv2dDefaultInit_HasTheSameBoundsAsTorch()
    {
        var nabla = new Conv2d(8, 16, 3, generator: new Generator(1));
        using var torchConv = torch.nn.Conv2d(8, 16, 3);
        double nablaMax = nabla.Weight.ToArray<float>().Max(v => Math.Abs(v));
        double torchMax = Parity.Doubles(torchConv.weight!).Max(Math.Abs);
        double bound = 1 / Math.Sqrt(8 * 9);
        Assert.InRange(nablaMax, 0.95 * bound, bound);
        Assert.InRange(torchMax, 0.95 * bound, bound);
        Assert.InRange(Parity.Doubles(torchConv.bias!).Max(Math.Abs), 0, bound);
        Assert.InRange(nabla.Bias!.ToArray<float>().Max(v => Math.Abs(v)), 0, bound);
    }

    [Fact]
    public void ConvTranspose2dDefaultInit_UsesFanInOfDimensionOne_AsTorch()
    {
        // PyTorch computes fan_in from weight.shape[1]·k·k = (out/groups)·k·k for transposed convolutions.
        var nabla = new ConvTranspose2d(8, 4, 3, generator: new Generator(2));
        using var torchConv = torch.nn.ConvTranspose2d(8, 4, 3);
        double bound = 1 / Math.Sqrt(4 * 9);
        Assert.InRange(nabla.Weight.ToArray<float>().Max(v => Math.Abs(v)), 0.9 * bound, bound);
        Assert.InRange(Parity.Doubles(torchConv.weight!).Max(Math.Abs), 0.9 * bound, bound);
    }
}
