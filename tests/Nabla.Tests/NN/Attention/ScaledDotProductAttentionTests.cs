using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.NN;

/// <summary>Functional.ScaledDotProductAttention: the fused op against the plain composition softmax(α·Q·Kᵀ + M)·V,
/// finite-difference gradients, mask semantics, dropout, weights and error messages.</summary>
public sealed class ScaledDotProductAttentionTests
{
    private static Tensor Rand(int[] shape, int seed, bool grad = true) =>
        Tensor.Randn(shape, DType.Float64, new Generator(seed), requiresGrad: grad);

    /// <summary>The reference, written with nothing but MatMul, Add and Softmax.</summary>
    private static Tensor Reference(Tensor q, Tensor k, Tensor v, Tensor? additive, double scale)
    {
        var scores = q.MatMul(k.Transpose(-2, -1)).Mul(scale);
        if (additive is not null) scores = scores.Add(additive);
        return scores.Softmax(-1).MatMul(v);
    }

    private static Tensor CausalAdditive(int l, int s)
    {
        var m = Tensor.Zeros([l, s], DType.Float64);
        for (int i = 0; i < l; i++)
            for (int j = i + 1; j < s; j++) m.SetFromDouble(i * s + j, double.NegativeInfinity);
        return m;
    }

    public static TheoryData<int[], int[], int[]> Shapes => new()
    {
        { [5, 4], [6, 4], [6, 3] },                       // unbatched
        { [2, 5, 4], [2, 7, 4], [2, 7, 6] },              // S ≠ L, Ev ≠ E
        { [2, 3, 4, 8], [2, 3, 4, 8], [2, 3, 4, 8] },     // [N, H, L, E]
        { [2, 3, 5, 4], [1, 3, 6, 4], [3, 6, 2] },        // batch dimensions broadcast
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Sdpa_MatchesComposition_ForwardAndGradients(int[] qs, int[] ks, int[] vs)
    {
        Tensor[] fused = [Rand(qs, 1), Rand(ks, 2), Rand(vs, 3)];
        Tensor[] plain = [.. fused.Select(t => t.Detach().Clone().RequiresGrad_())];
        double scale = 1 / Math.Sqrt(qs[^1]);
        var y = Functional.ScaledDotProductAttention(fused[0], fused[1], fused[2]);
        var r = Reference(plain[0], plain[1], plain[2], null, scale);
        Expect.Close(OpCaseRef(r), OpCaseRef(y), 1e-12, 1e-12, "forward");
        var up = Tensor.Randn(r.ShapeSpan, DType.Float64, new Generator(9));
        y.Mul(up).Sum().Backward();
        r.Mul(up).Sum().Backward();
        for (int i = 0; i < 3; i++) Expect.Close(OpCaseRef(plain[i].Grad!), OpCaseRef(fused[i].Grad!), 1e-10, 1e-12, $"gradient {i}");
    }

    [Fact]
    public void Sdpa_Causal_MatchesCompositionWithTheLowerTriangleMask()
    {
        var q = Rand([2, 5, 4], 4);
        var k = Rand([2, 7, 4], 5);
        var v = Rand([2, 7, 3], 6);
        var y = Functional.ScaledDotProductAttention(q, k, v, isCausal: true);
        var r = Reference(q, k, v, CausalAdditive(5, 7), 0.5);
        Expect.Close(OpCaseRef(r), OpCaseRef(y), 1e-12, 1e-12, "causal");
    }

    [Fact]
    public void Sdpa_BoolMask_TrueTakesPart_FloatMaskIsAdded()
    {
        var q = Rand([2, 3, 4], 7);
        var k = Rand([2, 5, 4], 8);
        var v = Rand([2, 5, 2], 9);
        var keep = Tensor.FromArray<bool>([true, false, true, true, false, true, true, true, false, false], [2, 1, 5]);
        var additive = Tensor.Zeros([2, 1, 5], DType.Float64).MaskedFill(keep.Eq(Tensor.Scalar(0, DType.Bool)), double.NegativeInfinity);
        var y = Functional.ScaledDotProductAttention(q, k, v, keep);
        Expect.Close(OpCaseRef(Reference(q, k, v, additive, 0.5)), OpCaseRef(y), 1e-12, 1e-12, "bool mask");

        var bias = Rand([3, 5], 10, grad: false);
        var yf = Functional.ScaledDotProductAttention(q, k, v, bias, scale: 0.3);
        Expect.Close(OpCaseRef(Reference(q, k, v, bias, 0.3)), OpCaseRef(yf), 1e-12, 1e-12, "float mask, scale 0.3");
    }

    [Fact]
    public void Sdpa_MaskedKeys_NeverAffectTheOutput()
    {
        var q = Rand([2, 3, 4], 11, grad: false);
        var k = Rand([2, 5, 4], 12, grad: false);
        var v = Rand([2, 5, 4], 13, grad: false);
        var keep = Tensor.FromArray<bool>([true, true, true, false, false, true, true, true, true, false], [2, 1, 5]);
        var y = Functional.ScaledDotProductAttention(q, k, v, keep);
        // Overwrite the masked keys and values with huge numbers: nothing changes.
        var k2 = k.Clone();
        var v2 = v.Clone();
        foreach (var (b, j) in new[] { (0, 3), (0, 4), (1, 4) })
        {
            k2.Select(0, b).Select(0, j).Fill_(1e6);
            v2.Select(0, b).Select(0, j).Fill_(-1e6);
        }
        Assert.True(Functional.ScaledDotProductAttention(q, k2, v2, keep).AllClose(y, 0, 0));
    }

    public static TheoryData<string> GradCases => ["plain", "causal", "bool mask", "float mask with grad", "dropout", "broadcast", "no keys visible"];

    [Theory, MemberData(nameof(GradCases))]
    public void Sdpa_Backward_MatchesFiniteDifferences(string name)
    {
        var q = Rand([2, 3, 4], 21);
        var k = Rand([2, 5, 4], 22);
        var v = Rand([2, 5, 3], 23);
        switch (name)
        {
            case "plain": GradCheck.Assert(t => Functional.ScaledDotProductAttention(t[0], t[1], t[2]), q, k, v); break;
            case "causal": GradCheck.Assert(t => Functional.ScaledDotProductAttention(t[0], t[1], t[2], isCausal: true), q, k, v); break;
            case "bool mask":
                var keep = Tensor.FromArray<bool>([true, false, true, true, true, false, true, false, true, true], [2, 1, 5]);
                GradCheck.Assert(t => Functional.ScaledDotProductAttention(t[0], t[1], t[2], keep), q, k, v);
                break;
            case "float mask with grad":
                GradCheck.Assert(t => Functional.ScaledDotProductAttention(t[0], t[1], t[2], t[3], scale: 0.7), q, k, v, Rand([3, 5], 24));
                break;
            case "dropout":
                // A fresh generator with one seed per evaluation draws the same mask every time.
                GradCheck.Assert(t => Functional.ScaledDotProductAttention(t[0], t[1], t[2], dropoutP: 0.4, generator: new Generator(3)), q, k, v);
                break;
            case "broadcast":
                GradCheck.Assert(t => Functional.ScaledDotProductAttention(t[0], t[1], t[2]), Rand([2, 2, 3, 4], 25), Rand([2, 1, 5, 4], 26), Rand([5, 3], 27));
                break;
            default:
                // Row 0 of batch 0 sees no key: zero output, zero gradient, the rest unaffected.
                var mask = Tensor.Zeros([2, 3, 5], DType.Float64);
                for (int j = 0; j < 5; j++) mask.SetFromDouble(j, double.NegativeInfinity);
                GradCheck.Assert(t => Functional.ScaledDotProductAttention(t[0], t[1], t[2], mask), q, k, v);
                break;
        }
    }

    [Fact]
    public void Sdpa_FullyMaskedRow_GivesZeroWeightsZeroOutputAndNoNaN()
    {
        var q = Rand([1, 2, 4], 31);
        var k = Rand([1, 3, 4], 32);
        var v = Rand([1, 3, 2], 33);
        var keep = Tensor.FromArray<bool>([false, false, false, true, false, true], [1, 2, 3]);
        var (y, w) = Functional.ScaledDotProductAttentionWithWeights(q, k, v, keep);
        Expect.Values(y.Select(1, 0), [1, 2], [0, 0]);
        Expect.Values(w!.Select(1, 0), [1, 3], [0, 0, 0]);
        Assert.Equal(1, w.Select(1, 1).Sum().Item(), 12);
        y.Sum().Backward();
        Assert.Equal(0, q.Grad!.IsNaN().CountNonZero() + k.Grad!.IsNaN().CountNonZero() + v.Grad!.IsNaN().CountNonZero());
        Expect.Values(q.Grad.Select(1, 0), [1, 4], [0, 0, 0, 0]);

        using (Tensor.NoGrad())   // the fused path gives the same
        {
            var (yn, wn) = Functional.ScaledDotProductAttentionWithWeights(q, k, v, keep);
            Assert.True(yn.AllClose(y, 1e-12, 1e-12) && wn!.AllClose(w, 1e-12, 1e-12));
        }
    }

    [Fact]
    public void SdpaWithWeights_FusedAndComposedPaths_Agree_IncludingDropoutForOneSeed()
    {
        var q = Rand([2, 2, 4, 8], 41);
        var k = Rand([2, 2, 6, 8], 42);
        var v = Rand([2, 2, 6, 8], 43);
        var composed = Functional.ScaledDotProductAttentionWithWeights(q, k, v, isCausal: true, dropoutP: 0.25, generator: new Generator(5));
        AttentionResult fused;
        using (Tensor.NoGrad()) fused = Functional.ScaledDotProductAttentionWithWeights(q, k, v, isCausal: true, dropoutP: 0.25, generator: new Generator(5));
        Assert.Equal([2, 2, 4, 6], composed.Weights!.Shape);
        Assert.True(fused.Weights!.AllClose(composed.Weights, 1e-12, 1e-12));
        Assert.True(fused.Output.AllClose(composed.Output, 1e-12, 1e-12));
        var plain = Functional.ScaledDotProductAttention(q, k, v, isCausal: true, dropoutP: 0.25, generator: new Generator(5));
        Assert.True(plain.AllClose(composed.Output, 1e-12, 1e-12));
        // Dropout zeroes about a quarter of the causal weights and scales the rest by 4/3.
        var w = fused.Weights.ToArray<double>();
        Assert.Contains(w, x => x == 0);
    }

    [Fact]
    public void SdpaWithWeights_WeightsAreARowStochasticSoftmax()
    {
        var q = Rand([3, 4], 51, grad: false);
        var k = Rand([5, 4], 52, grad: false);
        var (_, w) = Functional.ScaledDotProductAttentionWithWeights(q, k, Rand([5, 2], 53, grad: false));
        var expected = q.MatMul(k.T).Mul(0.5).Softmax(-1);
        Assert.True(w!.AllClose(expected, 1e-12, 1e-12));
    }

    [Fact]
    public void Sdpa_EmptyQueriesOrKeys_GiveEmptyOrZeroOutputsAndZeroGradients()
    {
        var k = Rand([2, 5, 4], 71);
        var v = Rand([2, 5, 3], 72);
        var y = Functional.ScaledDotProductAttention(Rand([2, 0, 4], 73), k, v);
        Assert.Equal([2, 0, 3], y.Shape);
        y.Sum().Backward();
        Assert.Equal(0, k.Grad!.Abs().Sum().Item());
        Assert.Equal(0, v.Grad!.Abs().Sum().Item());
        var q = Rand([2, 3, 4], 74);
        var none = Functional.ScaledDotProductAttention(q, Rand([2, 0, 4], 75), Rand([2, 0, 3], 76));
        Expect.Values(none, [2, 3, 3], new double[18]);
        none.Sum().Backward();
        Assert.Equal(0, q.Grad!.Abs().Sum().Item());
    }

    [Fact]
    public void Sdpa_Float32_AgreesWithFloat64()
    {
        var q = Rand([2, 4, 16, 32], 61, grad: false);
        var k = Rand([2, 4, 16, 32], 62, grad: false);
        var v = Rand([2, 4, 16, 32], 63, grad: false);
        var y64 = Functional.ScaledDotProductAttention(q, k, v, isCausal: true);
        var y32 = Functional.ScaledDotProductAttention(q.To(DType.Float32), k.To(DType.Float32), v.To(DType.Float32), isCausal: true);
        Assert.True(y32.To(DType.Float64).AllClose(y64, 1e-5, 1e-5));
    }

    [Fact]
    public void Sdpa_Errors_NameTheOpAndTheShapes()
    {
        var q = Tensor.Zeros([2, 3, 4]);
        var e = Assert.Throws<ShapeMismatchException>(() => Functional.ScaledDotProductAttention(q, Tensor.Zeros([2, 5, 6]), Tensor.Zeros([2, 5, 6])));
        Assert.Equal("ScaledDotProductAttention: query and key must share the embedding size E; got query [2, 3, 4], key [2, 5, 6], value [2, 5, 6] (4 ≠ 6).", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => Functional.ScaledDotProductAttention(q, Tensor.Zeros([2, 5, 4]), Tensor.Zeros([2, 6, 4])));
        Assert.Contains("key and value must have the same sequence length S", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ShapeMismatchException>(() => Functional.ScaledDotProductAttention(q, Tensor.Zeros([2, 5, 4]), Tensor.Zeros([2, 5, 4]), Tensor.Zeros([4, 5])));
        Assert.Contains("attn_mask [4, 5] must broadcast to the scores' shape [2, 3, 5]", e.Message, StringComparison.Ordinal);
        var a = Assert.Throws<ArgumentException>(() => Functional.ScaledDotProductAttention(q, q, q, Tensor.Zeros([3, 3]), isCausal: true));
        Assert.Contains("cannot be combined with is_causal", a.Message, StringComparison.Ordinal);
    }

    private static RefArray OpCaseRef(Tensor t) => Nabla.Tests.Autograd.OpCase.ToRef(t);
}
