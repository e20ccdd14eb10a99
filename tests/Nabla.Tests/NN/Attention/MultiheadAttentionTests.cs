using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

/// <summary>MultiheadAttention: PyTorch's parameters and initialization, its layouts and masks, its fused and composed
/// paths against each other and a per-head reference, and the key/value cache against the full causal forward.</summary>
public sealed class MultiheadAttentionTests
{
    private const double Tol = 2e-5;

    private static Tensor Rand(int[] shape, int seed, bool grad = false) =>
        Tensor.Randn(shape, generator: new Generator(seed), requiresGrad: grad);

    private static void Close(Tensor expected, Tensor actual, string what, double tol = Tol)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.Contiguous().ToArray<float>();
        var a = actual.Contiguous().ToArray<float>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tol * Math.Max(1, Math.Abs(e[i])), $"{what}[{i}]: expected {e[i]:R}, got {a[i]:R}");
    }

    [Fact]
    public void Parameters_HavePyTorchNamesShapesAndOrder()
    {
        var packed = new MultiheadAttention(8, 2, addBiasKv: true);
        Assert.Equal(["in_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj.weight", "out_proj.bias"], packed.StateDict().Keys);
        Assert.Equal([24, 8], packed.InProjWeight!.Shape);
        Assert.Equal([1, 1, 8], packed.BiasK!.Shape);

        var separate = new MultiheadAttention(8, 4, kdim: 5, vdim: 3, bias: false);
        Assert.Equal(["q_proj_weight", "k_proj_weight", "v_proj_weight", "out_proj.weight"], separate.StateDict().Keys);
        Assert.Equal([8, 5], separate.KProjWeight!.Shape);
        Assert.Equal([8, 3], separate.VProjWeight!.Shape);
    }

    [Fact]
    public void Initialization_IsXavierUniformWithZeroBiases()
    {
        var mha = new MultiheadAttention(16, 4, generator: new Generator(1));
        double bound = Math.Sqrt(6.0 / (16 + 48));   // xavier_uniform on [3E, E]
        var w = mha.InProjWeight!.ToArray<float>();
        Assert.All(w, x => Assert.InRange(x, -bound, bound));
        Assert.True(w.Max() > 0.8 * bound && w.Min() < -0.8 * bound);
        Assert.All(mha.InProjBias!.ToArray<float>(), x => Assert.Equal(0, x));
        Assert.All(mha.OutProj.Bias!.ToArray<float>(), x => Assert.Equal(0, x));
        Assert.All(mha.OutProj.Weight.ToArray<float>(), x => Assert.InRange(x, -0.25, 0.25));   // Linear default, 1/√16
    }

    /// <summary>Per-head reference built from Linear, Softmax and MatMul on batch-first inputs.</summary>
    private static (Tensor Output, Tensor Weights) Reference(MultiheadAttention m, Tensor q, Tensor k, Tensor v, Tensor? additive)
    {
        int e = m.EmbedDim, h = m.NumHeads, d = e / h, n = q.Shape[0], l = q.Shape[1], s = k.Shape[1];
        var w = m.InProjWeight!;
        var b = m.InProjBias!;
        Tensor Heads(Tensor x, int role, int t) =>
            Functional.Linear(x, w.Narrow(0, role * e, e), b.Narrow(0, role * e, e)).Reshape(n, t, h, d).Transpose(1, 2);
        var scores = Heads(q, 0, l).MatMul(Heads(k, 1, s).Transpose(-2, -1)).Mul(1 / Math.Sqrt(d));
        if (additive is not null) scores = scores.Add(additive);
        var p = scores.Softmax(-1);
        var o = p.MatMul(Heads(v, 2, s)).Transpose(1, 2).Reshape(n, l, e);
        return (m.OutProj.Call(o), p);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Forward_MatchesPerHeadReference_AveragedAndPerHeadWeights(bool batchFirst)
    {
        var m = new MultiheadAttention(8, 2, batchFirst: batchFirst, generator: new Generator(2));
        var q = Rand([3, 4, 8], 3);
        var k = Rand([3, 5, 8], 4);
        var v = Rand([3, 5, 8], 5);
        Tensor Lay(Tensor x) => batchFirst ? x : x.Transpose(0, 1);
        var (expected, p) = Reference(m, q, k, v, null);
        var averaged = m.Forward(Lay(q), Lay(k), Lay(v));
        Close(Lay(expected), averaged.Output, "output");
        Close(p.Mean(1), averaged.Weights!, "averaged weights");
        var perHead = m.Forward(Lay(q), Lay(k), Lay(v), averageAttnWeights: false);
        Close(p, perHead.Weights!, "per-head weights");
        Assert.Null(m.Forward(Lay(q), Lay(k), Lay(v), needWeights: false).Weights);
    }

    [Fact]
    public void Forward_Unbatched_SqueezesTheBatch()
    {
        var m = new MultiheadAttention(6, 3, generator: new Generator(6));
        var q = Rand([4, 6], 7);
        var kv = Rand([5, 6], 8);
        var r = m.Forward(q, kv, kv, averageAttnWeights: false);
        Assert.Equal([4, 6], r.Output.Shape);
        Assert.Equal([3, 4, 5], r.Weights!.Shape);
        var batched = m.Forward(q.Unsqueeze(1), kv.Unsqueeze(1), kv.Unsqueeze(1));
        Close(batched.Output.Squeeze(1), r.Output, "unbatched = batch of one");
    }

    [Fact]
    public void SelfAttention_PackedProjection_EqualsSeparateProjections_WithGradients()
    {
        var m = new MultiheadAttention(8, 2, batchFirst: true, generator: new Generator(9));
        var x = Rand([2, 5, 8], 10, grad: true);
        var packed = m.Forward(x, x, x, needWeights: false).Output;   // one GEMM into [N, L, 3E]
        var up = Rand([2, 5, 8], 11);
        packed.Mul(up).Sum().Backward();
        var gx = x.Grad!.Clone();
        var gw = m.InProjWeight!.Grad!.Clone();
        var gb = m.InProjBias!.Grad!.Clone();
        x.Grad = null;
        m.ZeroGrad();

        var x2 = x.Detach().Clone().RequiresGrad_();
        var separate = m.Forward(x2, x2.Mul(1), x2.Mul(1), needWeights: false).Output;   // three tensors, three projections
        Close(separate, packed, "output");
        separate.Mul(up).Sum().Backward();
        Close(x2.Grad!, gx, "input gradient");
        Close(m.InProjWeight.Grad!, gw, "in_proj_weight gradient");
        Close(m.InProjBias.Grad!, gb, "in_proj_bias gradient");
    }

    [Fact]
    public void NeedWeights_ComposedPath_EqualsFusedPath_WithGradients()
    {
        var m = new MultiheadAttention(8, 4, batchFirst: true, generator: new Generator(12));
        var q = Rand([2, 3, 8], 13, grad: true);
        var kv = Rand([2, 6, 8], 14, grad: true);
        var padding = Tensor.FromArray<bool>([false, false, false, false, true, true, false, false, false, false, false, true], [2, 6]);
        var up = Rand([2, 3, 8], 15);
        Tensor[] Grads() => [q.Grad!.Clone(), kv.Grad!.Clone(), m.InProjWeight!.Grad!.Clone(), m.OutProj.Weight.Grad!.Clone()];

        var composed = m.Forward(q, kv, kv, padding, needWeights: true);
        composed.Output.Mul(up).Sum().Backward();
        var g1 = Grads();
        (q.Grad, kv.Grad) = (null, null);
        m.ZeroGrad();
        var fused = m.Forward(q, kv, kv, padding, needWeights: false);
        fused.Output.Mul(up).Sum().Backward();
        var g2 = Grads();
        Close(composed.Output, fused.Output, "output");
        for (int i = 0; i < g1.Length; i++) Close(g1[i], g2[i], $"gradient {i}");
    }

    [Fact]
    public void KeyPaddingMask_PaddedKeysNeverAffectTheOutput()
    {
        var m = new MultiheadAttention(8, 2, batchFirst: true, generator: new Generator(16));
        var q = Rand([2, 3, 8], 17);
        var kv = Rand([2, 5, 8], 18);
        var padding = Tensor.FromArray<bool>([false, false, false, true, true, false, false, false, false, true], [2, 5]);
        var y = m.Forward(q, kv, kv, padding);
        var kv2 = kv.Clone();
        kv2.Select(0, 0).Narrow(0, 3, 2).Fill_(1e4);
        kv2.Select(0, 1).Select(0, 4).Fill_(-1e4);
        var y2 = m.Forward(q, kv2, kv2, padding);
        Close(y.Output, y2.Output, "output", 0);
        Close(y.Weights!, y2.Weights!, "weights", 0);
        Assert.Equal(0, y.Weights!.Select(0, 0).Narrow(1, 3, 2).Abs().Sum().Item());
    }

    [Fact]
    public void AttnMask_BoolAndFloatForms_AndPerHeadMasks_Agree()
    {
        var m = new MultiheadAttention(8, 2, batchFirst: true, generator: new Generator(19));
        var x = Rand([2, 4, 8], 20);
        var blocked = Tensor.FromArray<bool>([false, true, true, true, false, false, true, true, false, false, false, true, false, false, false, false], [4, 4]);
        var additive = Tensor.Zeros([4, 4]).MaskedFill(blocked, double.NegativeInfinity);
        var a = m.Forward(x, x, x, attnMask: blocked).Output;
        var b = m.Forward(x, x, x, attnMask: additive).Output;
        var c = m.Forward(x, x, x, isCausal: true).Output;
        var d = m.Forward(x, x, x, attnMask: additive.Unsqueeze(0).Expand(4, 4, 4).Contiguous()).Output;   // [N·H, L, S]
        Close(a, b, "bool vs float");
        Close(a, c, "causal flag vs mask");
        Close(a, d, "3-D mask");
    }

    [Fact]
    public void AddBiasKvAndZeroAttn_AppendKeys()
    {
        var m = new MultiheadAttention(8, 2, addBiasKv: true, addZeroAttn: true, batchFirst: true, generator: new Generator(21));
        var x = Rand([2, 3, 8], 22);
        var r = m.Forward(x, x, x, Tensor.Zeros([2, 3], DType.Bool));
        Assert.Equal([2, 3, 5], r.Weights!.Shape);   // 3 keys + bias_k + the zero key
        Assert.All(r.Weights.Sum(-1).ToArray<float>(), s => Assert.Equal(1, s, 5));
    }

    [Fact]
    public void KeyValueCache_StepByStepDecoding_EqualsTheFullCausalForward()
    {
        var m = new MultiheadAttention(16, 4, batchFirst: true, generator: new Generator(23));
        var x = Rand([2, 6, 16], 24);
        var full = m.Forward(x, x, x, needWeights: false, isCausal: true).Output;
        var cache = new KeyValueCache();
        for (int t = 0; t < 6; t++)
        {
            var xt = x.Narrow(1, t, 1);
            var step = m.Forward(xt, xt, xt, needWeights: false, isCausal: true, cache: cache).Output;
            Assert.Equal(t + 1, cache.Length);
            Close(full.Narrow(1, t, 1), step, $"step {t}");
        }
        // Two new positions at once: the causal rule is aligned to the end of the cache.
        cache.Reset();
        m.Forward(x.Narrow(1, 0, 4), x.Narrow(1, 0, 4), x.Narrow(1, 0, 4), isCausal: true, cache: cache);
        var chunk = x.Narrow(1, 4, 2);
        Close(full.Narrow(1, 4, 2), m.Forward(chunk, chunk, chunk, isCausal: true, cache: cache).Output, "chunk of two");
    }

    [Fact]
    public void KeyValueCache_Fixed_ProjectsTheMemoryOnce_AndReorders()
    {
        var m = new MultiheadAttention(8, 2, batchFirst: true, generator: new Generator(25));
        var q = Rand([3, 2, 8], 26);
        var memory = Rand([3, 5, 8], 27);
        var full = m.Forward(q, memory, memory).Output;
        var cache = new KeyValueCache(fixedKeys: true);
        m.Forward(q.Narrow(1, 0, 1), memory, memory, cache: cache);
        var keys = cache.Keys;
        // Later calls ignore key and value: the cached projection is used.
        var second = m.Forward(q.Narrow(1, 1, 1), Tensor.Zeros([3, 5, 8]), Tensor.Zeros([3, 5, 8]), cache: cache).Output;
        Assert.Same(keys, cache.Keys);
        Close(full.Narrow(1, 1, 1), second, "reused memory");
        cache.Reorder(Tensor.FromArray<long>([2, 2, 0], [3]));
        var reordered = m.Forward(q.Narrow(1, 1, 1).IndexSelect(0, Tensor.FromArray<long>([2, 2, 0], [3])), memory, memory, cache: cache).Output;
        Close(full.Narrow(1, 1, 1).IndexSelect(0, Tensor.FromArray<long>([2, 2, 0], [3])), reordered, "reordered");
    }

    [Fact]
    public void Dropout_AppliesInTrainingOnly()
    {
        var m = new MultiheadAttention(8, 2, dropout: 0.5, batchFirst: true, generator: new Generator(28));
        var x = Rand([2, 4, 8], 29);
        var train = m.Forward(x, x, x, averageAttnWeights: false).Weights!.ToArray<float>();
        Assert.Contains(train, w => w == 0);
        m.Eval();
        var eval = m.Forward(x, x, x, averageAttnWeights: false).Weights!;
        Assert.All(eval.Sum(-1).ToArray<float>(), s => Assert.Equal(1, s, 5));
    }

    [Fact]
    public void Errors_NameTheLayerAndTheShapes()
    {
        var m = new MultiheadAttention(8, 2);
        var e = Assert.Throws<ShapeMismatchException>(() => m.Forward(Tensor.Zeros([4, 2, 6]), Tensor.Zeros([4, 2, 8]), Tensor.Zeros([4, 2, 8])));
        Assert.Equal("MultiheadAttention(embed_dim=8, num_heads=2): query, key and value must end in embed_dim 8, kdim 8 and vdim 8 features; got query [4, 2, 6], key [4, 2, 8], value [4, 2, 8].", e.Message);
        var x = Tensor.Zeros([4, 2, 8]);
        e = Assert.Throws<ShapeMismatchException>(() => m.Forward(x, x, x, keyPaddingMask: Tensor.Zeros([4, 2], DType.Bool)));
        Assert.Contains("key_padding_mask must be [N, S] = [2, 4]; got [4, 2]", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ShapeMismatchException>(() => m.Forward(x, x, x, attnMask: Tensor.Zeros([3, 4])));
        Assert.Contains("attn_mask must be [L, S] = [4, 4] or [N·num_heads, L, S] = [4, 4, 4]; got [3, 4]", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MultiheadAttention(10, 3));
    }
}
