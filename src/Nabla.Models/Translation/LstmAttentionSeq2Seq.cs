using Nabla.Data.Text;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Translation;

/// <summary>An RNN encoder-decoder with additive attention (Bahdanau, Cho and Bengio, 2015): a bidirectional LSTM reads
/// the source; at each target step the decoder's previous hidden state s attends over the encoder outputs (score
/// vᵀ·tanh(W_q·s + W_k·h_j)), the context c = Σ a_j·h_j and the previous token's embedding feed an LSTM cell, and
/// a linear layer maps [s'; c] to the next token's logits.</summary>
/// <remarks>Children: <c>source_embedding</c>, <c>encoder</c> (LSTM, bidirectional), <c>bridge_h</c> and <c>bridge_c</c>
/// (the decoder's initial state from both final encoder states), <c>target_embedding</c>, <c>attention</c>,
/// <c>decoder</c> (LSTMCell), <c>output</c>.</remarks>
public sealed class LstmAttentionSeq2Seq : Seq2SeqModel
{
    private readonly Embedding sourceEmbedding, targetEmbedding;
    private readonly LSTM encoder;
    private readonly Linear bridgeH, bridgeC, output;
    private readonly AdditiveAttention attention;
    private readonly LSTMCell decoder;
    private readonly Dropout dropout;

    /// <summary>Creates the model with PyTorch's default initialization.</summary>
    public LstmAttentionSeq2Seq(int sourceVocabulary, int targetVocabulary, int embedding, int hidden, double dropoutProbability = 0.1, Generator? generator = null)
    {
        TargetVocabularySize = targetVocabulary;
        sourceEmbedding = RegisterModule("source_embedding", new Embedding(sourceVocabulary, embedding, paddingIdx: SpecialTokens.PadId, generator: generator));
        encoder = RegisterModule("encoder", new LSTM(embedding, hidden, numLayers: 1, batchFirst: true, bidirectional: true, generator: generator));
        bridgeH = RegisterModule("bridge_h", new Linear(2 * hidden, hidden, generator: generator));
        bridgeC = RegisterModule("bridge_c", new Linear(2 * hidden, hidden, generator: generator));
        targetEmbedding = RegisterModule("target_embedding", new Embedding(targetVocabulary, embedding, generator: generator));
        attention = RegisterModule("attention", new AdditiveAttention(hidden, 2 * hidden, hidden, generator: generator));
        decoder = RegisterModule("decoder", new LSTMCell(embedding + 2 * hidden, hidden, generator: generator));
        dropout = RegisterModule("dropout", new Dropout(dropoutProbability, generator));
        output = RegisterModule("output", new Linear(3 * hidden, targetVocabulary, generator: generator));
    }

    /// <inheritdoc/>
    public override int TargetVocabularySize { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor source, int[] sourceLengths, Tensor targetInput)
    {
        var state = (State)Encode(source, sourceLengths);
        var steps = new Tensor[targetInput.Shape[1]];
        for (int t = 0; t < steps.Length; t++) steps[t] = Step(state, targetInput.Select(1, t));
        return Tensor.Stack(steps, 1);
    }

    /// <inheritdoc/>
    public override DecoderState Encode(Tensor source, int[] sourceLengths)
    {
        var (outputs, (h, c)) = encoder.Forward(dropout.Call(sourceEmbedding.Call(source)), null, sourceLengths);
        // h, c: [2, B, H] (forward, reverse) → [B, 2H] → the decoder's first state.
        var hBoth = Tensor.Cat([h.Select(0, 0), h.Select(0, 1)], 1);
        var cBoth = Tensor.Cat([c.Select(0, 0), c.Select(0, 1)], 1);
        var padding = Vocabulary.PaddingMask(sourceLengths, source.Shape[1]);
        return new State(outputs, attention.ProjectKeys(outputs), padding, bridgeH.Call(hBoth).Tanh(), bridgeC.Call(cBoth));
    }

    /// <inheritdoc/>
    public override Tensor Step(DecoderState state, Tensor tokens)
    {
        var s = (State)state;
        var attended = attention.Forward(s.H, s.Outputs, null, s.Padding, s.Keys);
        var context = attended.Output;
        var input = Tensor.Cat([dropout.Call(targetEmbedding.Call(tokens)), context], 1);
        (s.H, s.C) = decoder.Forward(input, (s.H, s.C));
        s.SetAttention(attended.Weights);
        return output.Call(dropout.Call(Tensor.Cat([s.H, context], 1)));
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
