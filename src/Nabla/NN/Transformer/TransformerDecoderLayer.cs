using System.Globalization;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>One Transformer decoder layer (<c>nn.TransformerDecoderLayer</c>): masked self-attention, attention over the
/// encoder's memory, and a position-wise feed-forward network, each with dropout, a residual and layer normalization.</summary>
/// <remarks>
/// Post-norm (default): x = norm1(x + SA(x)); x = norm2(x + MHA(x, mem)); x = norm3(x + FF(x)). Pre-norm
/// (<c>norm_first</c>): x = x + SA(norm1(x)); x = x + MHA(norm2(x), mem); x = x + FF(norm3(x)). Sub-modules carry
/// PyTorch's names: <c>self_attn</c>, <c>multihead_attn</c>, <c>linear1</c>, <c>dropout</c>, <c>linear2</c>, <c>norm1</c>–<c>norm3</c>,
/// <c>dropout1</c>–<c>dropout3</c>. For incremental decoding pass the layer's caches (see <see cref="TransformerDecoderCache"/>):
/// the target then holds only the new positions.
/// </remarks>
public sealed class TransformerDecoderLayer : Module
{
    private readonly Generator? generator;

    /// <summary>E, the model width.</summary>
    public int DModel { get; }
    /// <summary>The number of attention heads.</summary>
    public int NHead { get; }
    /// <summary>The hidden width of the feed-forward network.</summary>
    public int DimFeedforward { get; }
    /// <summary>The dropout probability of every dropout in the layer.</summary>
    public double DropoutP { get; }
    /// <summary>"relu" or "gelu".</summary>
    public string Activation { get; }
    /// <summary>The layer norms' ε.</summary>
    public double LayerNormEps { get; }
    /// <summary>[N, T, E] inputs instead of [T, N, E].</summary>
    public bool BatchFirst { get; }
    /// <summary>Pre-norm instead of post-norm.</summary>
    public bool NormFirst { get; }
    /// <summary>Whether the linear layers, projections and layer norms have biases.</summary>
    public bool HasBias { get; }

    /// <summary>Self-attention over the target (<c>self_attn</c>).</summary>
    public MultiheadAttention SelfAttn { get; }
    /// <summary>Attention over the memory (<c>multihead_attn</c>).</summary>
    public MultiheadAttention MultiheadAttn { get; }
    /// <summary>E → dim_feedforward (<c>linear1</c>).</summary>
    public Linear Linear1 { get; }
    /// <summary>Dropout inside the feed-forward network (<c>dropout</c>).</summary>
    public Dropout Dropout { get; }
    /// <summary>dim_feedforward → E (<c>linear2</c>).</summary>
    public Linear Linear2 { get; }
    /// <summary>The norm of the self-attention block (<c>norm1</c>).</summary>
    public LayerNorm Norm1 { get; }
    /// <summary>The norm of the memory-attention block (<c>norm2</c>).</summary>
    public LayerNorm Norm2 { get; }
    /// <summary>The norm of the feed-forward block (<c>norm3</c>).</summary>
    public LayerNorm Norm3 { get; }
    /// <summary>Dropout on the self-attention output (<c>dropout1</c>).</summary>
    public Dropout Dropout1 { get; }
    /// <summary>Dropout on the memory-attention output (<c>dropout2</c>).</summary>
    public Dropout Dropout2 { get; }
    /// <summary>Dropout on the feed-forward output (<c>dropout3</c>).</summary>
    public Dropout Dropout3 { get; }

    /// <summary>Creates the layer with PyTorch's arguments and defaults.</summary>
    /// <param name="dModel">E, the model width.</param>
    /// <param name="nhead">The number of heads; must divide E.</param>
    /// <param name="dimFeedforward">The feed-forward hidden width.</param>
    /// <param name="dropout">The probability of every dropout.</param>
    /// <param name="activation">"relu" or "gelu".</param>
    /// <param name="layerNormEps">The layer norms' ε.</param>
    /// <param name="batchFirst">[N, T, E] inputs.</param>
    /// <param name="normFirst">Pre-norm.</param>
    /// <param name="bias">Biases in the linear layers, projections and layer norms.</param>
    /// <param name="generator">Random source for the initialization and the dropout masks.</param>
    public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, bool bias = true, Generator? generator = null)
    {
        Activation = FeedForwardActivation.Check("TransformerDecoderLayer", activation);
        (DModel, NHead, DimFeedforward, DropoutP, LayerNormEps, BatchFirst, NormFirst, HasBias, this.generator) =
            (dModel, nhead, dimFeedforward, dropout, layerNormEps, batchFirst, normFirst, bias, generator);
        SelfAttn = RegisterModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, bias, batchFirst: batchFirst, generator: generator));
        MultiheadAttn = RegisterModule("multihead_attn", new MultiheadAttention(dModel, nhead, dropout, bias, batchFirst: batchFirst, generator: generator));
        Linear1 = RegisterModule("linear1", new Linear(dModel, dimFeedforward, bias, generator));
        Dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        Linear2 = RegisterModule("linear2", new Linear(dimFeedforward, dModel, bias, generator));
        Norm1 = RegisterModule("norm1", new LayerNorm(dModel, layerNormEps, bias: bias));
        Norm2 = RegisterModule("norm2", new LayerNorm(dModel, layerNormEps, bias: bias));
        Norm3 = RegisterModule("norm3", new LayerNorm(dModel, layerNormEps, bias: bias));
        Dropout1 = RegisterModule("dropout1", new Dropout(dropout, generator));
        Dropout2 = RegisterModule("dropout2", new Dropout(dropout, generator));
        Dropout3 = RegisterModule("dropout3", new Dropout(dropout, generator));
    }

    /// <summary>Runs the layer (<c>forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
    /// memory_key_padding_mask, tgt_is_causal, memory_is_causal)</c>).</summary>
    /// <param name="tgt">[T, N, E] ([N, T, E] batch-first) or [T, E]; with a cache, only the new positions.</param>
    /// <param name="memory">[S, N, E] ([N, S, E]) or [S, E], the encoder's output.</param>
    /// <param name="tgtMask">[T, T] (with a cache [T, past + T]) or [N·H, …]: bool, true = not allowed; or float, added.</param>
    /// <param name="memoryMask">[T, S] or [N·H, T, S].</param>
    /// <param name="tgtKeyPaddingMask">[N, T]: bool, true = padding; or float.</param>
    /// <param name="memoryKeyPaddingMask">[N, S]: bool, true = padding; or float.</param>
    /// <param name="tgtIsCausal">Apply the causal rule in self-attention (a hint when <paramref name="tgtMask"/> is given).</param>
    /// <param name="memoryIsCausal">Apply the causal rule in memory attention.</param>
    /// <param name="selfAttentionCache">A growing cache of the self-attention's keys and values, or null.</param>
    /// <param name="memoryCache">A fixed cache of the memory's projected keys and values, or null.</param>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null, bool tgtIsCausal = false, bool memoryIsCausal = false,
        KeyValueCache? selfAttentionCache = null, KeyValueCache? memoryCache = null)
    {
        ArgumentNullException.ThrowIfNull(tgt);
        ArgumentNullException.ThrowIfNull(memory);
        var x = tgt;
        if (NormFirst)
        {
            x = x.Add(SelfAttentionBlock(Norm1.Call(x), tgtMask, tgtKeyPaddingMask, tgtIsCausal, selfAttentionCache));
            x = x.Add(MemoryBlock(Norm2.Call(x), memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal, memoryCache));
            return x.Add(FeedForwardBlock(Norm3.Call(x)));
        }
        x = Norm1.Call(x.Add(SelfAttentionBlock(x, tgtMask, tgtKeyPaddingMask, tgtIsCausal, selfAttentionCache)));
        x = Norm2.Call(x.Add(MemoryBlock(x, memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal, memoryCache)));
        return Norm3.Call(x.Add(FeedForwardBlock(x)));
    }

    private Tensor SelfAttentionBlock(Tensor x, Tensor? mask, Tensor? keyPaddingMask, bool isCausal, KeyValueCache? cache) =>
        Dropout1.Call(SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask, isCausal: isCausal, cache: cache).Output);

    private Tensor MemoryBlock(Tensor x, Tensor memory, Tensor? mask, Tensor? keyPaddingMask, bool isCausal, KeyValueCache? cache) =>
        Dropout2.Call(MultiheadAttn.Forward(x, memory, memory, keyPaddingMask, needWeights: false, attnMask: mask, isCausal: isCausal, cache: cache).Output);

    private Tensor FeedForwardBlock(Tensor x) =>
        Dropout3.Call(Linear2.Call(Dropout.Call(FeedForwardActivation.Apply(Activation, Linear1.Call(x)))));

    /// <summary>A deep copy: same options, same weights, same training mode.</summary>
    public TransformerDecoderLayer Clone()
    {
        var copy = new TransformerDecoderLayer(DModel, NHead, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst, HasBias, generator);
        copy.LoadStateDict(StateDict());
        copy.Train(Training);
        return copy;
    }

    /// <inheritdoc/>
    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"TransformerDecoderLayer(d_model={DModel}, nhead={NHead}, dim_feedforward={DimFeedforward}, dropout={DropoutP}, activation={Activation}{(NormFirst ? ", norm_first=True" : "")}{(BatchFirst ? ", batch_first=True" : "")})");
}
