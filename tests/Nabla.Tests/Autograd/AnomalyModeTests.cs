using Nabla.Autograd;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.Autograd;

/// <summary>Anomaly mode is process-wide, so these tests run alone.</summary>
[Collection(GlobalState.Name)]
public sealed class AnomalyModeTests
{
    [Fact]
    public void LogOfANegative_IsNamedInTheForwardPass()
    {
        var x = Tensor.FromArray<double>([2, -1], requiresGrad: true);
        using var _ = AnomalyMode.Enable();

        var e = Assert.Throws<AnomalyException>(() => (x * 1).Log());

        Assert.Equal("Log", e.Op);
        Assert.Equal("Anomaly: Log produced NaN in its output of shape [2] during the forward pass.", e.Message);
    }

    [Fact]
    public void FirstOpThatProducesInfinity_IsNamed()
    {
        var x = Tensor.FromArray<float>([1, 100], requiresGrad: true);
        using var _ = AnomalyMode.Enable();

        var e = Assert.Throws<AnomalyException>(() => x.Mul(1).Exp().Log());   // e¹⁰⁰ overflows float32

        Assert.Equal("Exp", e.Op);
        Assert.Contains("Inf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNInTheBackwardPass_NamesTheOpWhoseBackwardProducedIt()
    {
        var x = Tensor.FromArray<double>([0, 4], requiresGrad: true);
        using var _ = AnomalyMode.Enable();
        var y = x.Sqrt().Mul(0);   // forward finite; backward 0/(2·√0) = NaN

        var e = Assert.Throws<AnomalyException>(() => y.Sum().Backward());

        Assert.Equal("Sqrt", e.Op);
        Assert.Equal("Anomaly: Sqrt's backward produced NaN in the gradient of its input 0 (shape [2]).", e.Message);
    }

    [Fact]
    public void InfinityInTheBackwardPass_IsReported()
    {
        var x = Tensor.FromArray<double>([0], requiresGrad: true);
        using var _ = AnomalyMode.Enable();

        var e = Assert.Throws<AnomalyException>(() => x.Sqrt().Sum().Backward());

        Assert.Equal("Sqrt", e.Op);
        Assert.Contains("produced Inf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnomalyMode_NaNPassesSilently()
    {
        var x = Tensor.FromArray<double>([-1], requiresGrad: true);

        var y = x.Log();
        y.Sum().Backward();

        Assert.True(double.IsNaN(y.Item()));
        Assert.Equal(-1, x.Grad!.Item());
    }

    [Fact]
    public void Enable_RestoresThePreviousSettingWhenDisposed()
    {
        Assert.False(AnomalyMode.IsEnabled);
        using (AnomalyMode.Enable())
        {
            Assert.True(AnomalyMode.IsEnabled);
            using (AnomalyMode.Enable()) Assert.True(AnomalyMode.IsEnabled);
            Assert.True(AnomalyMode.IsEnabled);
        }
        Assert.False(AnomalyMode.IsEnabled);
    }

    [Fact]
    public void OpsThatDoNotRecord_AreNotChecked()
    {
        using var _ = AnomalyMode.Enable();

        var y = Tensor.FromArray<double>([-1]).Log();   // no input requires grad: nothing recorded, nothing checked

        Assert.True(double.IsNaN(y.Item()));
    }
}
