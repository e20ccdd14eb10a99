using Nabla.Data.Text;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Translation;

/// <summary>A Transformer encoder-decoder (Vaswani et al., 2017) over token ids: source and target embeddings scaled by
/// √d plus the sinusoidal position code, <see cref="NN.Transformer"/> (batch-first, post-norm, ReLU), and a linear layer
/// to the target logits. Padding in the source is masked in the encoder and in the decoder's memory attention; the
/// decoder's self-attention is causal.</summary>
/// <remarks>Children: <c>source_embedding</c>, <c>target_embedding</c>, <c>positions</c> (no parameters),
/// <c>transformer</c> (PyTorch's nn.Transformer names), <c>output</c>. Decoding re-reads the target prefix at each step;
/// the attention shown is the last decoder layer's memory attention, averaged over heads.</remarks>
public sealed class TransformerSeq2Seq : Seq2SeqModel
{
    private readonly Embedding sourceEmbedding, targetEmbedding;
    private readonly SinusoidalPositionalEncoding positions;
    private readonly NN.Transformer transformer;
    private readonly Linear output;
    private readonly double scale;

    /// <summary>Creates the model; the Transformer's matrices start Xavier-uniform, as PyTorch's nn.Transformer does.</summary>
    public TransformerSeq2Seq(int sourceVocabulary, int targetVocabulary, int dModel, int heads, int encoderLayers, int decoderLayers,
        int feedForward, double dropout = 0.1, int maxLength = 128, Generator? generator = null)
    {
        (TargetVocabularySize, scale) = (targetVocabulary, Math.Sqrt(dModel));
        sourceEmbedding = RegisterModule("source_embedding", new Embedding(sourceVocabulary, dModel, paddingIdx: SpecialTokens.PadId, generator: generator));
        targetEmbedding = RegisterModule("target_embedding", new Embedding(targetVocabulary, dModel, generator: generator));
        positions = RegisterModule("positions", new SinusoidalPositionalEncoding(dModel, dropout, maxLength, batchFirst: true, generator: generator));
        transformer = RegisterModule("transformer", new NN.Transformer(dModel, heads, encoderLayers, decoderLayers, feedForward, dropout,
            batchFirst: true, generator: generator));
        output = RegisterModule("output", new Linear(dModel, targetVocabulary, generator: generator));
        // Embeddings start N(0, 1/d) and are scaled by √d (fairseq's convention), so tokens and the position code
        // (amplitude 1) enter at the same scale; N(0, 1)·√d would drown the positions.
        Init.Normal(sourceEmbedding.Weight, 0, 1 / scale, generator);
        Init.Normal(targetEmbedding.Weight, 0, 1 / scale, generator);
        using (Tensor.NoGrad()) sourceEmbedding.Weight.Select(0, SpecialTokens.PadId).Zero_();
    }

    /// <inheritdoc/>
    public override int TargetVocabularySize { get; }

    /// <summary>The Transformer inside.</summary>
    public NN.Transformer Transformer => transformer;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor source, int[] sourceLengths, Tensor targetInput)
    {
        var padding = Vocabulary.PaddingMask(sourceLengths, source.Shape[1]);
        int steps = targetInput.Shape[1];
        var y = transformer.Forward(Embed(sourceEmbedding, source), Embed(targetEmbedding, targetInput),
            tgtMask: NN.Transformer.GenerateSquareSubsequentMask(steps), srcKeyPaddingMask: padding, memoryKeyPaddingMask: padding, tgtIsCausal: true);
        return output.Call(y);
    }

    /// <inheritdoc/>
    public override DecoderState Encode(Tensor source, int[] sourceLengths)
    {
        var padding = Vocabulary.PaddingMask(sourceLengths, source.Shape[1]);
        var memory = transformer.Encoder.Forward(Embed(sourceEmbedding, source), null, padding);
        return new State(memory, padding, Tensor.Zeros([source.Shape[0], 0], DType.Int64));
    }

    /// <inheritdoc/>
    public override Tensor Step(DecoderState state, Tensor tokens)
    {
        var s = (State)state;
        s.Prefix = Tensor.Cat([s.Prefix, tokens.Unsqueeze(1)], 1);
        int steps = s.Prefix.Shape[1];
        var y = transformer.Decoder.Forward(Embed(targetEmbedding, s.Prefix), s.Memory,
            NN.Transformer.GenerateSquareSubsequentMask(steps), null, null, s.Padding, tgtIsCausal: true);
        return output.Call(y.Select(1, steps - 1));
    }

    /// <summary>The last decoder layer's memory attention [B, T, S], averaged over heads, for target input [B, T] (in
    /// evaluation mode: no dropout). Runs the decoder's earlier layers as usual, then the last layer's self-attention
    /// sublayer and its memory attention with weights requested; assumes post-norm layers, as this model builds.</summary>
    public Tensor MemoryAttention(Tensor source, int[] sourceLengths, Tensor targetInput)
    {
        using var _ = Tensor.NoGrad();
        var padding = Vocabulary.PaddingMask(sourceLengths, source.Shape[1]);
        var memory = transformer.Encoder.Forward(Embed(sourceEmbedding, source), null, padding);
        var mask = NN.Transformer.GenerateSquareSubsequentMask(targetInput.Shape[1]);
        var layers = transformer.Decoder.Layers;
        var x = Embed(targetEmbedding, targetInput);
        for (int i = 0; i < layers.Count - 1; i++) x = layers[i].Forward(x, memory, mask, null, null, padding, tgtIsCausal: true);
        var last = layers[layers.Count - 1];
        var selfAttended = last.SelfAttn.Forward(x, x, x, null, needWeights: false, attnMask: mask, isCausal: true).Output;
        x = last.Norm1.Call(x.Add(selfAttended));
        return last.MultiheadAttn.Forward(x, memory, memory, padding, needWeights: true).Weights!;
    }

    private Tensor Embed(Embedding embedding, Tensor ids) => positions.Call(embedding.Call(ids).Mul(scale));

    private sealed class State(Tensor memory, Tensor padding, Tensor prefix) : DecoderState
    {
        public Tensor Memory { get; } = memory;       // encoder output [N, S, d]
        public Tensor Padding { get; } = padding;     // [N, S], true at padding
        public Tensor Prefix { get; set; } = prefix;  // tokens fed so far [N, t]

        public override int Rows => Memory.Shape[0];

        public override DecoderState Select(Tensor indices) =>
            new State(Memory.IndexSelect(0, indices), Padding.IndexSelect(0, indices), Prefix.IndexSelect(0, indices));
    }
}
