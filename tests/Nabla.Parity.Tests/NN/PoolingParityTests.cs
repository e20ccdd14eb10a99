using Nabla.NN;
using TorchSharp;
using DType = Nabla.Tensors.DType;
using Generator = Nabla.Tensors.Generator;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.NN;

/// <summary>Max, average and adaptive pooling against libtorch's: forward values, input gradients and indices.</summary>
public sealed class PoolingParityTests
{

    [Theory]
    [InlineData(2, 2, 2, 2, 0, 0, 1, 1, false)]
    [InlineData(3, 3, 2, 2, 1, 1, 1, 1, false)]
    [InlineData(3, 3, 2, 2, 1, 1, 1, 1, true)]
    [InlineData(3, 2, 1, 2, 1, 0, 2, 1, true)]
    [InlineData(2, 2, 2, 2, 0, 0, 1, 1, true)]
    public void MaxPool2d_MatchesTorch(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, bool ceil)
    {
        Parity.Assert([[2, 3, 9, 11]],
            x => Functional.MaxPool2d(x[0], (kh, kw), (sh, sw), (ph, pw), (dh, dw), ceil),
            x => torch.nn.functional.max_pool2d(x[0], [kh, kw], [sh, sw], [ph, pw], [dh, dw], ceil));
    }

    [Fact]
    public void MaxPool2d_LargePlainTwoByTwo_MatchesTorch() =>
        Parity.Assert([[4, 8, 32, 32]], x => Functional.MaxPool2d(x[0], 2), x => torch.nn.functional.max_pool2d(x[0], 2));

    [Fact]
    public void MaxPool2dIndices_MatchTorch_IncludingTies()
    {
        using var scope = torch.NewDisposeScope();
        // Small integers make ties: both must report the first maximum of each window.
        var x = NablaTensor.RandInt(-2, 3, [2, 3, 7, 8], DType.Int64, new Generator(3)).To(DType.Float32);
        var r = Functional.MaxPool2dWithIndices(x, 3, 2, 1, ceilMode: true);
        var (yt, it) = torch.nn.functional.max_pool2d_with_indices(TorchOracle.Tensor(x.ToArray<float>(), [2, 3, 7, 8]), [3, 3], [2, 2], [1, 1], ceil_mode: true);
        Assert.Equal(it.data<long>().ToArray(), r.Indices.ToArray<long>());
        Assert.Equal(TorchOracle.Values(yt), r.Output.ToArray<float>());
    }

    [Theory]
    [InlineData(3, 2, 1, 1, false)]
    [InlineData(4, 3, 2, 2, true)]
    public void MaxPool1d_MatchesTorch(int k, int s, int p, int d, bool ceil) =>
        Parity.Assert([[2, 3, 13]],
            x => Functional.MaxPool1d(x[0], k, s, p, d, ceil),
            x => torch.nn.functional.max_pool1d(x[0], k, s, p, d, ceil));

    [Theory]
    [InlineData(2, 2, 0, false, true, 0)]
    [InlineData(3, 2, 1, false, false, 0)]
    [InlineData(3, 2, 1, true, true, 0)]
    [InlineData(3, 2, 1, true, false, 0)]
    [InlineData(2, 3, 1, true, true, 5)]
    public void AvgPool2d_MatchesTorch(int k, int s, int p, bool ceil, bool includePad, int divisor) =>
        Parity.Assert([[2, 3, 8, 9]],
            x => Functional.AvgPool2d(x[0], k, s, p, ceil, includePad, divisor == 0 ? null : divisor),
            x => torch.nn.functional.avg_pool2d(x[0], [k, k], [s, s], [p, p], ceil, includePad, divisor == 0 ? null : divisor));

    [Theory]
    [InlineData(7, 9, 3, 4)]
    [InlineData(5, 5, 1, 1)]
    [InlineData(3, 4, 5, 6)]
    public void AdaptivePools_MatchTorch(int h, int w, int oh, int ow)
    {
        Parity.Assert([[2, 3, h, w]], x => Functional.AdaptiveAvgPool2d(x[0], (oh, ow)), x => torch.nn.functional.adaptive_avg_pool2d(x[0], [oh, ow]));
        Parity.Assert([[2, 3, h, w]], x => Functional.AdaptiveMaxPool2d(x[0], (oh, ow)), x => torch.nn.functional.adaptive_max_pool2d(x[0], [oh, ow]));
    }
}
