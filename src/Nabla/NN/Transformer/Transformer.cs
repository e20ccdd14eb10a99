using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>The encoder-decoder Transformer (<c>nn.Transformer</c>): an encoder of N layers with a final norm, a decoder
/// of M layers with a final norm.</summary>
/// <remarks>
/// State-dict keys as PyTorch's: <c>encoder.layers.i.…</c>, <c>encoder.norm.…</c>, <c>decoder.layers.i.…</c>,
/// <c>decoder.norm.…</c>. After construction every parameter with more than one dimension is re-drawn Xavier-uniform, as
/// PyTorch's <c>_reset_parameters</c> does. No embeddings, positions or output layer: the model supplies them.
/// Vaswani et al., "Attention Is All You Need", 2017.
/// </remarks>
public sealed class Transformer : Module
{
    /// <summary>The encoder (<c>encoder</c>).</summary>
    public TransformerEncoder Encoder { get; }
    /// <summary>The decoder (<c>decoder</c>).</summary>
    public TransformerDecoder Decoder { get; }
    /// <summary>E, the model width.</summary>
    public int DModel { get; }
    /// <summary>The number of heads.</summary>
    public int NHead { get; }
    /// <summary>[N, T, E] inputs instead of [T, N, E].</summary>
    public bool BatchFirst { get; }

    /// <summary>Creates the model with PyTorch's arguments and defaults.</summary>
    /// <param name="dModel">E, the model width.</param>
    /// <param name="nhead">The number of heads; must divide E.</param>
    /// <param name="numEncoderLayers">Encoder layers.</param>
    /// <param name="numDecoderLayers">Decoder layers.</param>
    /// <param name="dimFeedforward">The feed-forward hidden width.</param>
    /// <param name="dropout">The probability of every dropout.</param>
    /// <param name="activation">"relu" or "gelu".</param>
    /// <param name="layerNormEps">The layer norms' ε.</param>
    /// <param name="batchFirst">[N, T, E] inputs.</param>
    /// <param name="normFirst">Pre-norm layers.</param>
    /// <param name="bias">Biases in the linear layers, projections and layer norms.</param>
    /// <param name="generator">Random source for the initialization and the dropout masks.</param>
    public Transformer(int dModel = 512, int nhead = 8, int numEncoderLayers = 6, int numDecoderLayers = 6, int dimFeedforward = 2048,
        double dropout = 0.1, string activation = "relu", double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false,
        bool bias = true, Generator? generator = null)
    {
        (DModel, NHead, BatchFirst) = (dModel, nhead, batchFirst);
        var encoderLayer = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, bias, generator);
        Encoder = RegisterModule("encoder", new TransformerEncoder(encoderLayer, numEncoderLayers, new LayerNorm(dModel, layerNormEps, bias: bias)));
        var decoderLayer = new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, bias, generator);
        Decoder = RegisterModule("decoder", new TransformerDecoder(decoderLayer, numDecoderLayers, new LayerNorm(dModel, layerNormEps, bias: bias)));
        ResetParameters(generator);
    }

    /// <summary>Xavier-uniform for every parameter with more than one dimension (PyTorch's <c>_reset_parameters</c>).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        foreach (var p in Parameters())
            if (p.Dim > 1) Init.XavierUniform(p, generator: generator);
    }

    /// <summary>Encodes <paramref name="src"/> and decodes <paramref name="tgt"/> against it (PyTorch's <c>forward</c>).</summary>
    /// <param name="src">[S, N, E] ([N, S, E] batch-first) or [S, E].</param>
    /// <param name="tgt">[T, N, E] ([N, T, E]) or [T, E].</param>
    /// <param name="srcMask">[S, S] or [N·H, S, S]: bool, true = not allowed; or float, added.</param>
    /// <param name="tgtMask">[T, T] or [N·H, T, T], e.g. <see cref="GenerateSquareSubsequentMask"/>.</param>
    /// <param name="memoryMask">[T, S] or [N·H, T, S].</param>
    /// <param name="srcKeyPaddingMask">[N, S]: bool, true = padding; or float.</param>
    /// <param name="tgtKeyPaddingMask">[N, T].</param>
    /// <param name="memoryKeyPaddingMask">[N, S].</param>
    /// <param name="srcIsCausal">Causal rule in the encoder (a hint when <paramref name="srcMask"/> is given).</param>
    /// <param name="tgtIsCausal">Causal rule in the decoder's self-attention (a hint when <paramref name="tgtMask"/> is given).</param>
    /// <param name="memoryIsCausal">Causal rule in the decoder's memory attention.</param>
    /// <returns>[T, N, E] ([N, T, E]) or [T, E].</returns>
    public Tensor Forward(Tensor src, Tensor tgt, Tensor? srcMask = null, Tensor? tgtMask = null, Tensor? memoryMask = null,
        Tensor? srcKeyPaddingMask = null, Tensor? tgtKeyPaddingMask = null, Tensor? memoryKeyPaddingMask = null,
        bool srcIsCausal = false, bool tgtIsCausal = false, bool memoryIsCausal = false)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(tgt);
        bool batched = src.Dim == 3;
        if (src.Dim != tgt.Dim || (batched && src.Shape[BatchFirst ? 0 : 1] != tgt.Shape[BatchFirst ? 0 : 1]))
            Throw.Shape("Transformer", "the same batch size", $"src {ShapeUtil.Format(src.ShapeSpan)}, tgt {ShapeUtil.Format(tgt.ShapeSpan)}",
                $"Transformer: the batch number of src and tgt must be equal; got src {ShapeUtil.Format(src.ShapeSpan)}, tgt {ShapeUtil.Format(tgt.ShapeSpan)} (batch_first={(BatchFirst ? "True" : "False")}).");
        if (src.Shape[^1] != DModel || tgt.Shape[^1] != DModel)
            Throw.Shape("Transformer", $"[..., {DModel}]", $"src {ShapeUtil.Format(src.ShapeSpan)}, tgt {ShapeUtil.Format(tgt.ShapeSpan)}",
                $"Transformer: the feature number of src and tgt must be equal to d_model {DModel}; got src {ShapeUtil.Format(src.ShapeSpan)}, tgt {ShapeUtil.Format(tgt.ShapeSpan)}.");
        var memory = Encoder.Forward(src, srcMask, srcKeyPaddingMask, srcIsCausal);
        return Decoder.Forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal);
    }

    /// <summary>The causal mask [size, size] in PyTorch's float form: 0 on and below the diagonal, −∞ above
    /// (<c>nn.Transformer.generate_square_subsequent_mask</c>).</summary>
    public static Tensor GenerateSquareSubsequentMask(int size, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"GenerateSquareSubsequentMask: dtype must be float32 or float64; got {dtype.TorchName()}.", nameof(dtype));
        return AttentionMasks.Causal(size, size, 0, dtype);
    }
}
