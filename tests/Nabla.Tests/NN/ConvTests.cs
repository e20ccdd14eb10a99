using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

public sealed class ConvTests
{
    private static Tensor R(int[] shape, int seed) => Tensor.Randn(shape, DType.Float64, new Generator(seed), requiresGrad: true);

    /// <summary>Direct definition: y[n,co,oy,ox] = b[co] + Σ W[co,ci,i,j]·x[n, g·cg+ci, oy·s+i·d−p, ox·s+j·d−p].</summary>
    private static double[,,,] DirectConv(Tensor x, Tensor w, Tensor? b, int s, int p, int d, int groups)
    {
        int n = x.Shape[0], h = x.Shape[2], wd = x.Shape[3], cout = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * p - d * (kh - 1) - 1) / s + 1, ow = (wd + 2 * p - d * (kw - 1) - 1) / s + 1;
        var y = new double[n, cout, oh, ow];
        int mg = cout / groups;
        for (int i = 0; i < n; i++)
            for (int co = 0; co < cout; co++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double acc = b is null ? 0 : b[co];
                        int grp = co / mg;
                        for (int ci = 0; ci < cg; ci++)
                            for (int a = 0; a < kh; a++)
                                for (int c = 0; c < kw; c++)
                                {
                                    int yy = oy * s + a * d - p, xx = ox * s + c * d - p;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) acc += w[co, ci, a, c] * x[i, grp * cg + ci, yy, xx];
                                }
                        y[i, co, oy, ox] = acc;
                    }
        return y;
    }

    [Theory]
    [InlineData(1, 0, 1, 1)]
    [InlineData(2, 1, 1, 1)]
    [InlineData(1, 2, 2, 2)]
    [InlineData(2, 1, 1, 4)]
    public void Conv2d_MatchesDirectDefinition(int stride, int padding, int dilation, int groups)
    {
        var x = R([2, 4, 7, 6], 1);
        var w = R([8, 4 / groups, 3, 3], 2);
        var b = R([8], 3);
        var y = Functional.Conv2d(x, w, b, stride, padding, dilation, groups);
        var expected = DirectConv(x, w, b, stride, padding, dilation, groups);
        Assert.Equal([expected.GetLength(0), expected.GetLength(1), expected.GetLength(2), expected.GetLength(3)], y.Shape);
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int c = 0; c < expected.GetLength(1); c++)
                for (int r = 0; r < expected.GetLength(2); r++)
                    for (int q = 0; q < expected.GetLength(3); q++)
                        Assert.Equal(expected[i, c, r, q], y[i, c, r, q], 1e-10);
    }

    [Theory]
    [InlineData(1, 0, 1, 1)]
    [InlineData(2, 1, 2, 2)]
    public void Conv2d_Backward_MatchesFiniteDifferences(int stride, int padding, int dilation, int groups)
    {
        var x = R([2, 2, 5, 6], 4);
        var w = R([4, 2 / groups, 3, 2], 5);
        var b = R([4], 6);
        GradCheck.Assert(t => Functional.Conv2d(t[0], t[1], t[2], stride, padding, dilation, groups), x, w, b);
    }

    [Fact]
    public void Conv2d_SamePadding_KeepsSizeAndMatchesExplicitPadding()
    {
        var x = R([1, 2, 6, 5], 7);
        var w = R([3, 2, 3, 3], 8);
        var same = Functional.Conv2d(x, w, padding: "same");
        var explicitPad = Functional.Conv2d(x, w, padding: 1);
        Assert.Equal([1, 3, 6, 5], same.Shape);
        Assert.True(same.AllClose(explicitPad, 1e-12, 1e-12));
    }

    [Fact]
    public void Conv1d_SamePaddingWithEvenKernel_PadsExtraOnTheRight()
    {
        var x = R([1, 1, 5], 9);
        var w = Tensor.FromArray<double>([1.0, 10.0], [1, 1, 2]);
        var y = Functional.Conv1d(x, w, padding: "same");
        Assert.Equal([1, 1, 5], y.Shape);
        // total padding 1 goes to the right: y[i] = x[i] + 10·x[i+1], with x[5] = 0.
        for (int i = 0; i < 5; i++) Assert.Equal(x[0, 0, i] + 10 * (i < 4 ? x[0, 0, i + 1] : 0), y[0, 0, i], 1e-12);
        GradCheck.Assert(t => Functional.Conv1d(t[0], t[1], padding: "same"), x, R([2, 1, 3], 10));
    }

    [Theory]
    [InlineData(1, 0, 0, 1)]
    [InlineData(2, 1, 1, 1)]
    [InlineData(2, 0, 1, 2)]
    public void ConvTranspose2d_IsTheAdjointOfConv2d_AndPassesGradCheck(int stride, int padding, int outputPadding, int groups)
    {
        // ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ for the same weight: the defining property of the transposed convolution.
        var w = R([4, 4 / groups, 3, 3], 11);
        var yT = R([2, 4, 4, 3], 12);
        var z = Functional.ConvTranspose2d(yT, w, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups);
        Assert.Equal((4 - 1) * stride - 2 * padding + 3 + outputPadding, z.Shape[2]);
        var x = R(z.Shape.ToArray(), 13);
        var cx = Functional.Conv2d(x, w, stride: stride, padding: padding, groups: groups);
        double lhs = cx.Mul(yT).Sum().Item(), rhs = x.Mul(z).Sum().Item();
        Assert.Equal(lhs, rhs, 1e-9);
        var b = R([4], 14);
        GradCheck.Assert(t => Functional.ConvTranspose2d(t[0], t[1], t[2], stride, padding, outputPadding, groups), R([1, 4, 3, 2], 15), w, b);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Conv2d_Backward_WhenOnlyTheWeightsNeedGradients_GivesTheSameWeightGradient(int groups)
    {
        // A network's first convolution: the input is data (no gradient), so backward computes dW and db alone.
        var x = Tensor.Randn([2, 4, 6, 6], DType.Float64, new Generator(1));
        var w = R([6, 4 / groups, 3, 3], 2);
        var b = R([6], 3);
        var upstream = Tensor.Randn([2, 6, 6, 6], DType.Float64, new Generator(4));
        Functional.Conv2d(x, w, b, padding: 1, groups: groups).Mul(upstream).Sum().Backward();
        var (dw, db) = (w.Grad!, b.Grad!);

        var xWithGrad = x.Clone().RequiresGrad_();
        var (w2, b2) = (w.Detach().RequiresGrad_(), b.Detach().RequiresGrad_());
        Functional.Conv2d(xWithGrad, w2, b2, padding: 1, groups: groups).Mul(upstream).Sum().Backward();

        Assert.True(dw.AllClose(w2.Grad!, rtol: 1e-12, atol: 1e-12));
        Assert.True(db.AllClose(b2.Grad!, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Conv2d_RejectsChannelMismatch_WithClearMessage()
    {
        var x = Tensor.Zeros([1, 3, 8, 8]);
        var w = Tensor.Zeros([4, 2, 3, 3]);
        var e = Assert.Throws<ShapeMismatchException>(() => Functional.Conv2d(x, w));
        Assert.Contains("Conv2d: input [1, 3, 8, 8] has 3 channels but weight [4, 2, 3, 3] with groups=1 expects 2", e.Message);
    }

    [Fact]
    public void Conv2dLayer_DefaultInit_UsesPyTorchBounds()
    {
        var conv = new Conv2d(16, 32, 3, generator: new Generator(1));
        double bound = 1 / Math.Sqrt(16 * 9);
        var w = conv.Weight.ToArray<float>();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.True(w.Max() > 0.9 * bound && w.Min() < -0.9 * bound);
        Assert.Equal(["weight", "bias"], conv.StateDict().Keys);
    }
}
