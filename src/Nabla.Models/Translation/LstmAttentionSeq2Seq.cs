using Nabla.Data.Text;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Translation;

/// <summary>An RNN encoder-decoder with additive attention (Bahdanau, Cho and Bengio, 2015): a bidirectional LSTM reads
/// the source; at each target step the decoder's previous hidden state s attends over the encoder outputs (score
/// vᵀ·tanh(W_q·s + W_k·h_j)), the context c = Σ a_j·h_j and the previous token's embedding feed an LSTM cell, and
/// a linear layer maps [s'; c] to the next token's logits.</summary>
/// <remarks>Children: the <see cref="LstmEncoderDecoder"/> layers and <c>attention</c>.</remarks>
public sealed class LstmAttentionSeq2Seq : LstmEncoderDecoder
{
    private readonly AdditiveAttention attention;

    /// <summary>Creates the model with PyTorch's default initialization.</summary>
    public LstmAttentionSeq2Seq(int sourceVocabulary, int targetVocabulary, int embedding, int hidden, double dropoutProbability = 0.1, Generator? generator = null)
        : base(sourceVocabulary, targetVocabulary, embedding, hidden, dropoutProbability, generator) =>
        attention = RegisterModule("attention", new AdditiveAttention(hidden, 2 * hidden, hidden, generator: generator));

    /// <inheritdoc/>
    public override DecoderState Encode(Tensor source, int[] sourceLengths)
    {
        var (outputs, _, h, c) = EncodeSource(source, sourceLengths);
        var padding = Vocabulary.PaddingMask(sourceLengths, source.Shape[1]);
        return new State(outputs, attention.ProjectKeys(outputs), padding, h, c);
    }

    /// <inheritdoc/>
    public override Tensor Step(DecoderState state, Tensor tokens)
    {
        var s = (State)state;
        var attended = attention.Forward(s.H, s.Outputs, null, s.Padding, s.Keys);
        (var logits, s.H, s.C) = DecodeStep(tokens, attended.Output, s.H, s.C);
        s.SetAttention(attended.Weights);
        return logits;
    }

    private sealed class State(Tensor outputs, Tensor keys, Tensor padding, Tensor h, Tensor c) : DecoderState
    {
        public Tensor Outputs { get; } = outputs;     // encoder outputs [N, S, 2H]
        public Tensor Keys { get; } = keys;           // W_k·h_j + b [N, S, A], computed once
        public Tensor Padding { get; } = padding;     // [N, S], true at padding
        public Tensor H { get; set; } = h;            // decoder state [N, H]
        public Tensor C { get; set; } = c;

        public void SetAttention(Tensor? weights) => LastAttention = weights;

        public override int Rows => H.Shape[0];

        public override DecoderState Select(Tensor indices) =>
            new State(Outputs.IndexSelect(0, indices), Keys.IndexSelect(0, indices), Padding.IndexSelect(0, indices),
                H.IndexSelect(0, indices), C.IndexSelect(0, indices));
    }
}
