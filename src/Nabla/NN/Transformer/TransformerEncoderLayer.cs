using System.Globalization;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>One Transformer encoder layer (<c>nn.TransformerEncoderLayer</c>): self-attention then a position-wise
/// feed-forward network, each with dropout, a residual connection and layer normalization.</summary>
/// <remarks>
/// Post-norm (PyTorch's default, the paper's): x = norm1(x + SA(x)); x = norm2(x + FF(x)). Pre-norm
/// (<c>norm_first</c>): x = x + SA(norm1(x)); x = x + FF(norm2(x)). SA(x) = dropout1(self_attn(x, x, x)),
/// FF(x) = dropout2(linear2(dropout(activation(linear1(x))))). Sub-modules carry PyTorch's names — <c>self_attn</c>,
/// <c>linear1</c>, <c>dropout</c>, <c>linear2</c>, <c>norm1</c>, <c>norm2</c>, <c>dropout1</c>, <c>dropout2</c> — so state
/// dicts map one to one. Input [S, N, E] ([N, S, E] with batchFirst) or unbatched [S, E].
/// </remarks>
public sealed class TransformerEncoderLayer : Module<Tensor, Tensor>
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
    /// <summary>[N, S, E] inputs instead of [S, N, E].</summary>
    public bool BatchFirst { get; }
    /// <summary>Pre-norm instead of post-norm.</summary>
    public bool NormFirst { get; }
    /// <summary>Whether the linear layers, projections and layer norms have biases.</summary>
    public bool HasBias { get; }

    /// <summary>Self-attention (<c>self_attn</c>).</summary>
    public MultiheadAttention SelfAttn { get; }
    /// <summary>E → dim_feedforward (<c>linear1</c>).</summary>
    public Linear Linear1 { get; }
    /// <summary>Dropout inside the feed-forward network (<c>dropout</c>).</summary>
    public Dropout Dropout { get; }
    /// <summary>dim_feedforward → E (<c>linear2</c>).</summary>
    public Linear Linear2 { get; }
    /// <summary>The norm of the attention block (<c>norm1</c>).</summary>
    public LayerNorm Norm1 { get; }
    /// <summary>The norm of the feed-forward block (<c>norm2</c>).</summary>
    public LayerNorm Norm2 { get; }
    /// <summary>Dropout on the attention output (<c>dropout1</c>).</summary>
    public Dropout Dropout1 { get; }
    /// <summary>Dropout on the feed-forward output (<c>dropout2</c>).</summary>
    public Dropout Dropout2 { get; }

    /// <summary>Creates the layer with PyTorch's arguments and defaults.</summary>
    /// <param name="dModel">E, the model width.</param>
    /// <param name="nhead">The number of heads; must divide E.</param>
    /// <param name="dimFeedforward">The feed-forward hidden width.</param>
    /// <param name="dropout">The probability of every dropout.</param>
    /// <param name="activation">"relu" or "gelu".</param>
    /// <param name="layerNormEps">The layer norms' ε.</param>
    /// <param name="batchFirst">[N, S, E] inputs.</param>
    /// <param name="normFirst">Pre-norm.</param>
    /// <param name="bias">Biases in the linear layers, projections and layer norms.</param>
    /// <param name="generator">Random source for the initialization and the dropout masks.</param>
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
        double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, bool bias = true, Generator? generator = null)
    {
        Activation = FeedForwardActivation.Check("TransformerEncoderLayer", activation);
        (DModel, NHead, DimFeedforward, DropoutP, LayerNormEps, BatchFirst, NormFirst, HasBias, this.generator) =
            (dModel, nhead, dimFeedforward, dropout, layerNormEps, batchFirst, normFirst, bias, generator);
        SelfAttn = RegisterModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, bias, batchFirst: batchFirst, generator: generator));
        Linear1 = RegisterModule("linear1", new Linear(dModel, dimFeedforward, bias, generator));
        Dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        Linear2 = RegisterModule("linear2", new Linear(dimFeedforward, dModel, bias, generator));
        Norm1 = RegisterModule("norm1", new LayerNorm(dModel, layerNormEps, bias: bias));
        Norm2 = RegisterModule("norm2", new LayerNorm(dModel, layerNormEps, bias: bias));
        Dropout1 = RegisterModule("dropout1", new Dropout(dropout, generator));
        Dropout2 = RegisterModule("dropout2", new Dropout(dropout, generator));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>Runs the layer (<c>forward(src, src_mask, src_key_padding_mask, is_causal)</c>).</summary>
    /// <param name="src">[S, N, E] ([N, S, E] batch-first) or [S, E].</param>
    /// <param name="srcMask">[S, S] or [N·H, S, S]: bool, true = not allowed; or float, added.</param>
    /// <param name="srcKeyPaddingMask">[N, S]: bool, true = padding; or float, added.</param>
    /// <param name="isCausal">Apply the causal rule (a hint when <paramref name="srcMask"/> is given).</param>
    public Tensor Forward(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask = null, bool isCausal = false)
    {
        ArgumentNullException.ThrowIfNull(src);
        var x = src;
        if (NormFirst)
        {
            x = x.Add(SelfAttentionBlock(Norm1.Call(x), srcMask, srcKeyPaddingMask, isCausal));
            return x.Add(FeedForwardBlock(Norm2.Call(x)));
        }
        x = Norm1.Call(x.Add(SelfAttentionBlock(x, srcMask, srcKeyPaddingMask, isCausal)));
        return Norm2.Call(x.Add(FeedForwardBlock(x)));
    }

    private Tensor SelfAttentionBlock(Tensor x, Tensor? mask, Tensor? keyPaddingMask, bool isCausal) =>
        Dropout1.Call(SelfAttn.Forward(x, x, x, keyPaddingMask, needWeights: false, attnMask: mask, isCausal: isCausal).Output);

    private Tensor FeedForwardBlock(Tensor x) =>
        Dropout2.Call(Linear2.Call(Dropout.Call(FeedForwardActivation.Apply(Activation, Linear1.Call(x)))));

    /// <summary>A deep copy: same options, same weights, same training mode (PyTorch's copy.deepcopy in
    /// TransformerEncoder).</summary>
    public TransformerEncoderLayer Clone()
    {
        var copy = new TransformerEncoderLayer(DModel, NHead, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst, HasBias, generator);
        copy.LoadStateDict(StateDict());
        copy.Train(Training);
        return copy;
    }

    /// <inheritdoc/>
    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"TransformerEncoderLayer(d_model={DModel}, nhead={NHead}, dim_feedforward={DimFeedforward}, dropout={DropoutP}, activation={Activation}{(NormFirst ? ", norm_first=True" : "")}{(BatchFirst ? ", batch_first=True" : "")})");
}
