using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Tests.Kernels.Elementwise;

/// <summary>The float32 vector GELU against the double-precision formulas, over a dense grid that reaches far into
/// both tails (where Φ underflows to 0 or rounds to 1).</summary>
public sealed class GeluKernelTests
{
    private static readonly double[] Grid = [.. Enumerable.Range(0, 4001).Select(i => -12 + i * 0.006)];

    private static double Phi(double x) => 0.5 * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2)));

    private static double Tanh(double x) => 0.5 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    public static TheoryData<bool> Approximations => [false, true];

    [Theory, MemberData(nameof(Approximations))]
    public void Forward_MatchesDoublePrecision(bool tanhApprox)
    {
        var x = Grid.Select(v => (float)v).ToArray();
        var y = new float[x.Length];
        int done = GeluKernel.Forward(x, y, tanhApprox);
        // With SIMD switched off (NABLA_SIMD=0) the kernel declines and GeluOp computes every element in double.
        Assert.Equal(GeluKernel.IsSupported ? x.Length / 8 * 8 : 0, done);
        for (int i = 0; i < done; i++)
        {
            double xi = x[i], expected = xi * (tanhApprox ? Tanh(xi) : Phi(xi));
            Assert.True(Math.Abs(y[i] - expected) <= 3e-7 * Math.Max(1, Math.Abs(xi)), $"GELU({xi}) = {y[i]}, expected {expected}");
        }
    }

    [Theory, MemberData(nameof(Approximations))]
    public void Backward_MatchesDoublePrecisionDerivative(bool tanhApprox)
    {
        var x = Grid.Select(v => (float)v).ToArray();
        var dy = Grid.Select((_, i) => 0.5f + (i % 7) * 0.25f).ToArray();
        var dx = new float[x.Length];
        int done = GeluKernel.Backward(x, dy, dx, tanhApprox);
        Assert.Equal(GeluKernel.IsSupported ? x.Length / 8 * 8 : 0, done);
        for (int i = 0; i < done; i++)
        {
            double xi = x[i], slope;
            if (tanhApprox)
            {
                double s = Tanh(xi), du = Math.Sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * xi * xi);
                slope = s + xi * s * (1 - s) * 2 * du;
            }
            else slope = Phi(xi) + xi * Math.Exp(-0.5 * xi * xi) / Math.Sqrt(2 * Math.PI);
            double expected = dy[i] * slope;
            Assert.True(Math.Abs(dx[i] - expected) <= 3e-7 * dy[i] * Math.Max(1, Math.Abs(xi)), $"GELU'({xi})·{dy[i]} = {dx[i]}, expected {expected}");
        }
    }

    [Fact]
    public void Forward_KeepsTheNegativeTailRelativelyAccurate()
    {
        // Φ(−5) = 2.87e-7: computed as ½·erfc rather than ½(1 + erf), it keeps a few digits instead of cancelling to 0.
        // Through the op, so the scalar path is held to the same standard when SIMD is off.
        var y = Tensor.Full([8], -5.0, DType.Float32).Gelu().ToArray<float>();
        double expected = -5 * Phi(-5);
        Assert.All(y, v => Assert.Equal(expected, v, Math.Abs(expected) * 0.02));
    }
}
