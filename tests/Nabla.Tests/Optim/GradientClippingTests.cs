using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Tests.Optim;

public sealed class GradientClippingTests
{
    private static Parameter WithGrad(params float[] grad)
    {
        var p = new Parameter(Tensor.Zeros([grad.Length]));
        p.Grad = Tensor.FromArray<float>(grad);
        return p;
    }

    [Fact]
    public void ClipGradNorm_ReturnsTotalTwoNorm_AndScalesAllGradientsTogether()
    {
        var a = WithGrad(3, 0);
        var b = WithGrad(0, 4);
        double total = GradientClipping.ClipGradNorm([a, b], maxNorm: 1);
        Assert.Equal(5, total, 6);
        double coef = 1 / (5 + 1e-6);
        Assert.Equal([3 * coef, 0], a.Grad!.ToArray<float>().Select(v => (double)v), new Tolerance(1e-6));
        Assert.Equal([0, 4 * coef], b.Grad!.ToArray<float>().Select(v => (double)v), new Tolerance(1e-6));
    }

    [Fact]
    public void ClipGradNorm_LeavesSmallGradientsAlone()
    {
        var a = WithGrad(0.3f, 0.4f);
        Assert.Equal(0.5, GradientClipping.ClipGradNorm([a], maxNorm: 1), 6);
        Assert.Equal([0.3f, 0.4f], a.Grad!.ToArray<float>());
    }

    [Fact]
    public void ClipGradNorm_InfinityNorm_IsTheLargestMagnitude()
    {
        var a = WithGrad(-7, 2);
        Assert.Equal(7, GradientClipping.ClipGradNorm([a], maxNorm: 3.5, normType: double.PositiveInfinity), 6);
        Assert.Equal(-3.5, a.Grad!.ToArray<float>()[0], 4);
    }

    [Fact]
    public void ClipGradNorm_OneNorm_SumsMagnitudes()
    {
        var a = WithGrad(-1, 2, -3);
        Assert.Equal(6, GradientClipping.ClipGradNorm([a], maxNorm: 100, normType: 1), 6);
    }

    [Fact]
    public void ClipGradNorm_NonFinite_ThrowsWhenAsked()
    {
        var a = WithGrad(float.NaN, 1);
        var e = Assert.Throws<InvalidOperationException>(() => GradientClipping.ClipGradNorm([a], 1, errorIfNonFinite: true));
        Assert.Contains("ClipGradNorm", e.Message);
    }

    [Fact]
    public void ClipGradValue_ClampsEachElement()
    {
        var a = WithGrad(-5, 0.5f, 9);
        GradientClipping.ClipGradValue([a], 1);
        Assert.Equal([-1f, 0.5f, 1f], a.Grad!.ToArray<float>());
    }

    private sealed class Tolerance(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tol;
        public int GetHashCode(double obj) => 0;
    }
}
