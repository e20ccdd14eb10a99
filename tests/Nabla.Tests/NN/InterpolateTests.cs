using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.NN;

public sealed class InterpolateTests
{
    private static Tensor R(int[] shape, int seed) => Tensor.Randn(shape, DType.Float64, new Generator(seed), requiresGrad: true);

    /// <summary>PyTorch's nearest source index, in float32: min(⌊o·step⌋, in − 1), or ⌊(o + ½)·step⌋ for nearest-exact.</summary>
    private static int NearestSource(int o, int inSize, float step, bool exact) =>
        Math.Min((int)MathF.Floor(exact ? (float)((o + 0.5) * step) : o * step), inSize - 1);

    private static double[] DirectNearest(Tensor x, int oh, int ow, float stepH, float stepW, bool exact)
    {
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var v = Expect.Read(x);
        var y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    y[(p * oh + i) * ow + j] = v[(p * h + NearestSource(i, h, stepH, exact)) * w + NearestSource(j, w, stepW, exact)];
        return y;
    }

    [Theory]
    [InlineData(4, 5, 7, 3, false)]
    [InlineData(3, 3, 6, 6, false)]
    [InlineData(6, 7, 4, 2, true)]
    [InlineData(5, 4, 8, 9, true)]
    public void Nearest_WithSize_MatchesDirectDefinition_AndGradCheck(int h, int w, int oh, int ow, bool exact)
    {
        var x = R([2, 2, h, w], 1);
        string mode = exact ? "nearest-exact" : "nearest";
        var y = Functional.Interpolate(x, (oh, ow), mode: mode);
        Expect.Values(y, [2, 2, oh, ow], DirectNearest(x, oh, ow, (float)h / oh, (float)w / ow, exact));
        GradCheck.Assert(t => Functional.Interpolate(t[0], (oh, ow), mode: mode), x);
    }

    [Fact]
    public void Nearest_WithScaleFactor_StepsByItsInverse_UnlessRecomputed()
    {
        // H = 5, s = 1.7: output ⌊8.5⌋ = 8 rows. Step 1/1.7 reads rows [0,0,1,1,2,2,3,4]; step 5/8 reads [0,0,1,1,2,3,3,4].
        var x = Tensor.Arange(0, 5, 1, DType.Float64).Reshape(1, 1, 5, 1);
        var y = Functional.Interpolate(x, scaleFactor: (1.7, 1));
        Expect.Values(y, [1, 1, 8, 1], [0, 0, 1, 1, 2, 2, 3, 4]);
        var recomputed = Functional.Interpolate(x, scaleFactor: (1.7, 1), recomputeScaleFactor: true);
        Expect.Values(recomputed, [1, 1, 8, 1], [0, 0, 1, 1, 2, 3, 3, 4]);
        Expect.Values(new Upsample(scaleFactor: 2).Call(Tensor.FromArray<double>([1, 2], [1, 1, 1, 2])), [1, 1, 2, 4], [1, 1, 2, 2, 1, 1, 2, 2]);
    }

    [Fact]
    public void Bilinear_PinnedValues_ForBothCornerModes()
    {
        // F.interpolate([[1, 2], [4, 5]], scale_factor=2, mode='bilinear', align_corners=False / True).
        var a = Tensor.FromArray<double>([1, 2, 4, 5], [1, 1, 2, 2]);
        Expect.Values(Functional.Interpolate(a, scaleFactor: 2, mode: "bilinear"), [1, 1, 4, 4],
            [1, 1.25, 1.75, 2, 1.75, 2, 2.5, 2.75, 3.25, 3.5, 4, 4.25, 4, 4.25, 4.75, 5], 1e-12);
        double t = 1.0 / 3;
        Expect.Values(Functional.Interpolate(a, (4, 4), mode: "bilinear", alignCorners: true), [1, 1, 4, 4],
            [1, 1 + t, 2 - t, 2, 2, 2 + t, 3 - t, 3, 3, 3 + t, 4 - t, 4, 4, 4 + t, 5 - t, 5], 1e-12);
    }

    /// <summary>Bilinear from PyTorch's coordinate rule, in double.</summary>
    private static double[] DirectBilinear(Tensor x, int oh, int ow, bool align)
    {
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var v = Expect.Read(x);
        (int I0, int I1, double L1) Source(int o, int n, int m)
        {
            double src = align ? (m > 1 ? (n - 1.0) / (m - 1) : 0) * o : Math.Max((double)n / m * (o + 0.5) - 0.5, 0);
            int i0 = Math.Min((int)Math.Floor(src), n - 1);
            return (i0, Math.Min(i0 + 1, n - 1), Math.Clamp(src - i0, 0, 1));
        }
        var y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    var (r0, r1, lr) = Source(i, h, oh);
                    var (c0, c1, lc) = Source(j, w, ow);
                    double At(int r, int c) => v[(p * h + r) * w + c];
                    y[(p * oh + i) * ow + j] = (1 - lr) * ((1 - lc) * At(r0, c0) + lc * At(r0, c1)) + lr * ((1 - lc) * At(r1, c0) + lc * At(r1, c1));
                }
        return y;
    }

    [Theory]
    [InlineData(7, 9, 4, 5, false)]
    [InlineData(3, 4, 8, 7, false)]
    [InlineData(7, 9, 4, 5, true)]
    [InlineData(3, 4, 8, 7, true)]
    [InlineData(1, 3, 4, 1, true)]
    public void Bilinear_MatchesDirectDefinition_AndGradCheck(int h, int w, int oh, int ow, bool align)
    {
        var x = R([2, 2, h, w], 2);
        var y = Functional.Interpolate(x, (oh, ow), mode: "bilinear", alignCorners: align);
        Expect.Values(y, [2, 2, oh, ow], DirectBilinear(x, oh, ow, align), 1e-12);
        GradCheck.Assert(t => Functional.Interpolate(t[0], (oh, ow), mode: "bilinear", alignCorners: align), x);
    }

    [Fact]
    public void Bilinear_WithScaleFactor_GradCheck()
    {
        GradCheck.Assert(t => Functional.Interpolate(t[0], scaleFactor: (1.5, 0.6), mode: "bilinear"), R([1, 2, 4, 5], 3));
        GradCheck.Assert(t => Functional.Interpolate(t[0], scaleFactor: 2.5), R([1, 2, 3, 2], 4));
    }

    [Fact]
    public void Interpolate_RejectsBadArguments_WithClearMessages()
    {
        var x = Tensor.Zeros([1, 1, 4, 4]);
        Assert.Equal("Interpolate: only one of size or scale_factor should be given.",
            Assert.Throws<ArgumentException>(() => Functional.Interpolate(x, 8, 2)).Message);
        Assert.Equal("Interpolate: either size or scale_factor must be given.", Assert.Throws<ArgumentException>(() => Functional.Interpolate(x)).Message);
        Assert.StartsWith("Interpolate: align_corners can only be set with the interpolating modes (bilinear)",
            Assert.Throws<ArgumentException>(() => Functional.Interpolate(x, 8, alignCorners: false)).Message);
        Assert.StartsWith("Interpolate: mode \"bicubic\" is not supported",
            Assert.Throws<ArgumentException>(() => Functional.Interpolate(x, 8, mode: "bicubic")).Message);
        Assert.Equal("Interpolate: mode \"bilinear\" needs a 4-D input [N, C, H, W]; got [1, 4, 4].",
            Assert.Throws<ShapeMismatchException>(() => Functional.Interpolate(Tensor.Zeros([1, 4, 4]), 8, mode: "bilinear")).Message);
        Assert.Throws<ArgumentException>(() => Functional.Interpolate(x, scaleFactor: 0.1));
    }

    [Fact]
    public void UpsampleLayer_ForwardsToInterpolate_AndDescribesItself()
    {
        var layer = new Upsample(scaleFactor: 2, mode: "bilinear");
        var x = R([1, 2, 3, 3], 5);
        Assert.True(layer.Call(x).AllClose(Functional.Interpolate(x, scaleFactor: 2, mode: "bilinear"), 0, 0));
        Assert.Equal("Upsample(scale_factor=2.0, mode='bilinear')", layer.Describe());
        Assert.Equal("Upsample(size=(5, 6), mode='nearest')", new Upsample((5, 6)).Describe());
    }
}
