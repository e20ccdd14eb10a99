using TorchSharp;

namespace Nabla.Parity.Tests;

/// <summary>The oracle itself works: its native library loads, and its forward and backward give known values.</summary>
public sealed class TorchSharpLoads
{
    private const float Tolerance = 1e-6f;

    [Fact]
    public void Version_IsLibTorch2_10()
    {
        Assert.StartsWith("2.10", TorchOracle.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Softmax_OfZeroAndLn2_IsOneThirdAndTwoThirds()
    {
        using var scope = torch.NewDisposeScope();
        var x = TorchOracle.Tensor([0f, MathF.Log(2f)], [2]);

        // softmax(x)_i = e^{x_i} / Σ_j e^{x_j} = [1, 2] / 3
        float[] s = TorchOracle.Values(x.softmax(-1));

        Assert.Equal([1f / 3, 2f / 3], s, (a, b) => MathF.Abs(a - b) <= Tolerance);
    }

    [Fact]
    public void Backward_OfSoftmaxComponent_IsSoftmaxJacobianRow()
    {
        using var scope = torch.NewDisposeScope();
        var x = TorchOracle.Tensor([0f, MathF.Log(2f)], [2], requiresGrad: true);

        // ∂s_0/∂x_j = s_0 (δ_0j − s_j) with s = [1/3, 2/3]: [1/3 − 1/9, −2/9] = [2/9, −2/9]
        x.softmax(-1)[0].backward();

        Assert.Equal([2f / 9, -2f / 9], TorchOracle.Values(x.grad!), (a, b) => MathF.Abs(a - b) <= Tolerance);  // grad is set: x requires grad and took part in backward
    }

    [Fact]
    public void Backward_OfSumOfSquares_IsTwoX()
    {
        using var scope = torch.NewDisposeScope();
        var x = TorchOracle.Tensor([1f, -2f, 3f, 0.5f], [2, 2], requiresGrad: true);

        // d/dx Σ x² = 2x
        x.pow(2).sum().backward();

        Assert.Equal([2f, -4f, 6f, 1f], TorchOracle.Values(x.grad!));  // grad is set: x requires grad and took part in backward
    }
}
