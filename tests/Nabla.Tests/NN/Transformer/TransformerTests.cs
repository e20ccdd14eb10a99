using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

/// <summary>The Transformer layers and stacks: PyTorch's names, cloning and re-initialization, the norm orders, masks,
/// batch-first layout and cached incremental decoding.</summary>
public sealed class TransformerTests
{
    private static Tensor Rand(int[] shape, int seed) => Tensor.Randn(shape, generator: new Generator(seed));

    private static void Close(Tensor expected, Tensor actual, string what, double tol = 2e-5)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.True(actual.AllClose(expected, tol, tol), $"{what}: max |difference| {actual.Sub(expected).Abs().Max().Item():G3}");
    }

    [Fact]
    public void EncoderLayer_HasPyTorchSubmoduleNames()
    {
        var layer = new TransformerEncoderLayer(8, 2, dimFeedforward: 16);
        Assert.Equal(
            ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
             "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"],
            layer.StateDict().Keys);
        Assert.Equal(["self_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "dropout1", "dropout2"], layer.NamedChildren().Select(c => c.Name));
        var decoder = new TransformerDecoderLayer(8, 2, dimFeedforward: 16, bias: false);
        Assert.Contains("multihead_attn.in_proj_weight", decoder.StateDict().Keys);
        Assert.Contains("norm3.weight", decoder.StateDict().Keys);
        Assert.DoesNotContain("norm3.bias", decoder.StateDict().Keys);
    }

    [Fact]
    public void Encoder_ClonesTheLayer_SameWeightsSeparateTensors()
    {
        var layer = new TransformerEncoderLayer(8, 2, dimFeedforward: 16, generator: new Generator(1));
        var encoder = new TransformerEncoder(layer, 3, new LayerNorm(8));
        var dict = encoder.StateDict();
        Assert.Contains("layers.2.linear2.bias", dict.Keys);
        Assert.Contains("norm.weight", dict.Keys);
        Assert.True(dict["layers.0.self_attn.in_proj_weight"].AllClose(dict["layers.2.self_attn.in_proj_weight"], 0, 0));
        Assert.True(dict["layers.1.linear1.weight"].AllClose(layer.Linear1.Weight, 0, 0));
        Assert.False(encoder.Layers[0].Linear1.Weight.SharesStorageWith(encoder.Layers[1].Linear1.Weight));
    }

    [Fact]
    public void Transformer_HasPyTorchKeys_AndXavierReinitializesEveryMatrix()
    {
        var model = new Transformer(dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16, generator: new Generator(2));
        var keys = model.StateDict().Keys.ToList();
        Assert.Contains("encoder.layers.1.self_attn.out_proj.weight", keys);
        Assert.Contains("encoder.norm.bias", keys);
        Assert.Contains("decoder.layers.0.multihead_attn.in_proj_bias", keys);
        Assert.Contains("decoder.norm.weight", keys);
        Assert.Equal(2 * 12 + 2 + 1 * 18 + 2, keys.Count);
        // After _reset_parameters the cloned layers no longer share values, and linear1 follows xavier's bound √(6/(8+16)).
        var d = model.StateDict();
        Assert.False(d["encoder.layers.0.linear1.weight"].AllClose(d["encoder.layers.1.linear1.weight"], 0, 0));
        Assert.All(d["encoder.layers.0.linear1.weight"].ToArray<float>(), x => Assert.InRange(x, -0.5, 0.5));
        Assert.All(d["encoder.layers.0.linear1.bias"].ToArray<float>(), x => Assert.InRange(x, -1 / Math.Sqrt(8), 1 / Math.Sqrt(8)));
    }

    [Fact]
    public void GenerateSquareSubsequentMask_IsMinusInfinityAboveTheDiagonal()
    {
        var m = Transformer.GenerateSquareSubsequentMask(3);
        float n = float.NegativeInfinity;
        Assert.Equal([0, n, n, 0, 0, n, 0, 0, 0], m.ToArray<float>());
    }

    [Fact]
    public void EncoderLayer_PostNormAndPreNorm_FollowTheirFormulas()
    {
        foreach (bool normFirst in new[] { false, true })
        {
            var layer = new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0, activation: "gelu", batchFirst: true, normFirst: normFirst, generator: new Generator(3));
            var x = Rand([2, 5, 8], 4);
            Tensor Sa(Tensor t) => layer.SelfAttn.Forward(t, t, t, needWeights: false).Output;
            Tensor Ff(Tensor t) => layer.Linear2.Call(layer.Linear1.Call(t).Gelu());
            Tensor expected;
            if (normFirst)
            {
                var h = x.Add(Sa(layer.Norm1.Call(x)));
                expected = h.Add(Ff(layer.Norm2.Call(h)));
            }
            else
            {
                var h = layer.Norm1.Call(x.Add(Sa(x)));
                expected = layer.Norm2.Call(h.Add(Ff(h)));
            }
            Close(expected, layer.Call(x), normFirst ? "pre-norm" : "post-norm");
        }
    }

    [Fact]
    public void Transformer_BatchFirstEqualsSequenceFirst_AndPaddedSourceNeverMatters()
    {
        var seqFirst = new Transformer(8, 2, 1, 1, 16, dropout: 0, generator: new Generator(5));
        var batchFirst = new Transformer(8, 2, 1, 1, 16, dropout: 0, batchFirst: true, generator: new Generator(6));
        batchFirst.LoadStateDict(seqFirst.StateDict());
        var src = Rand([5, 2, 8], 7);
        var tgt = Rand([4, 2, 8], 8);
        var mask = Transformer.GenerateSquareSubsequentMask(4);
        var padding = Tensor.FromArray<bool>([false, false, false, true, true, false, false, false, false, false], [2, 5]);
        var a = seqFirst.Forward(src, tgt, tgtMask: mask, srcKeyPaddingMask: padding, memoryKeyPaddingMask: padding);
        var b = batchFirst.Forward(src.Transpose(0, 1), tgt.Transpose(0, 1), tgtMask: mask, srcKeyPaddingMask: padding, memoryKeyPaddingMask: padding);
        Close(a, b.Transpose(0, 1), "batch_first");
        var src2 = src.Clone();
        src2.Narrow(0, 3, 2).Select(1, 0).Fill_(100);
        Close(a, seqFirst.Forward(src2, tgt, tgtMask: mask, srcKeyPaddingMask: padding, memoryKeyPaddingMask: padding), "padded source");
        Close(a, seqFirst.Forward(src, tgt, srcKeyPaddingMask: padding, memoryKeyPaddingMask: padding, tgtIsCausal: true), "tgt_is_causal");
    }

    [Fact]
    public void Decoder_WithCache_DecodesStepByStepLikeTheFullCausalForward()
    {
        var model = new Transformer(16, 4, 2, 2, 32, batchFirst: true, generator: new Generator(9));
        model.Eval();
        var src = Rand([2, 5, 16], 10);
        var tgt = Rand([2, 6, 16], 11);
        var memory = model.Encoder.Call(src);
        var full = model.Decoder.Forward(tgt, memory, tgtIsCausal: true);
        var cache = new TransformerDecoderCache(2);
        for (int t = 0; t < 6; t++)
        {
            var step = model.Decoder.Forward(tgt.Narrow(1, t, 1), memory, tgtIsCausal: true, cache: cache);
            Close(full.Narrow(1, t, 1), step, $"step {t}", 1e-4);
        }
        Assert.Equal(6, cache.Length);
    }

    [Fact]
    public void Backward_ReachesEveryParameter()
    {
        var model = new Transformer(8, 2, 1, 1, 16, dropout: 0.1, normFirst: true, generator: new Generator(12));
        model.Forward(Rand([5, 2, 8], 13), Rand([3, 2, 8], 14), tgtIsCausal: true).Square().Sum().Backward();
        foreach (var (name, p) in model.NamedParameters())
            Assert.True(p.Grad is not null && p.Grad.Abs().Sum().Item() > 0, $"{name} got no gradient");
    }

    [Fact]
    public void Errors_NameTheLayerAndTheShapes()
    {
        var model = new Transformer(8, 2, 1, 1, 16);
        var e = Assert.Throws<ShapeMismatchException>(() => model.Forward(Tensor.Zeros([5, 2, 8]), Tensor.Zeros([4, 3, 8])));
        Assert.Equal("Transformer: the batch number of src and tgt must be equal; got src [5, 2, 8], tgt [4, 3, 8] (batch_first=False).", e.Message);
        Assert.Throws<ArgumentException>(() => new TransformerEncoderLayer(8, 2, activation: "tanh"));
    }
}
