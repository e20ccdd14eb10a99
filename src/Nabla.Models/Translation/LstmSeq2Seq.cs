using Nabla.Data.Text;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Translation;

/// <summary>An RNN encoder-decoder without attention (Cho et al., 2014; Sutskever, Vinyals and Le, 2014): a
/// bidirectional LSTM reads the source and its two final states, concatenated, are the one fixed-size summary c of the
/// whole source; the decoder starts from a state computed from c and is given c again at every step, beside the previous
/// token's embedding; a linear layer maps [s'; c] to the next token's logits.</summary>
/// <remarks>It is <see cref="LstmAttentionSeq2Seq"/> with the attended context c_t replaced by the fixed c: the same
/// children under the same names (<c>source_embedding</c>, <c>encoder</c>, <c>bridge_h</c>, <c>bridge_c</c>,
/// <c>target_embedding</c>, <c>decoder</c>, <c>output</c>) less <c>attention</c>, so comparing the two measures what
/// attention adds: everything the decoder knows about the source has to pass through the 2H numbers of c.</remarks>
public sealed class LstmSeq2Seq : Seq2SeqModel
{
    private readonly Embedding sourceEmbedding, targetEmbedding;
    private readonly LSTM encoder;
    private readonly Linear bridgeH, bridgeC, output;
    private readonly LSTMCell decoder;
    private readonly Dropout dropout;

    /// <summary>Creates the model with PyTorch's default initialization.</summary>
    public LstmSeq2Seq(int sourceVocabulary, int targetVocabulary, int embedding, int hidden, double dropoutProbability = 0.1, Generator? generator = null)
    {
        TargetVocabularySize = targetVocabulary;
        sourceEmbedding = RegisterModule("source_embedding", new Embedding(sourceVocabulary, embedding, paddingIdx: SpecialTokens.PadId, generator: generator));
        encoder = RegisterModule("encoder", new LSTM(embedding, hidden, numLayers: 1, batchFirst: true, bidirectional: true, generator: generator));
        bridgeH = RegisterModule("bridge_h", new Linear(2 * hidden, hidden, generator: generator));
        bridgeC = RegisterModule("bridge_c", new Linear(2 * hidden, hidden, generator: generator));
        targetEmbedding = RegisterModule("target_embedding", new Embedding(targetVocabulary, embedding, generator: generator));
        decoder = RegisterModule("decoder", new LSTMCell(embedding + 2 * hidden, hidden, generator: generator));
        dropout = RegisterModule("dropout", new Dropout(dropoutProbability, generator));
        output = RegisterModule("output", new Linear(3 * hidden, targetVocabulary, generator: generator));
    }

    /// <inheritdoc/>
    public override int TargetVocabularySize { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor source, int[] sourceLengths, Tensor targetInput)
    {
        var state = Encode(source, sourceLengths);
        var steps = new Tensor[targetInput.Shape[1]];
        for (int t = 0; t < steps.Length; t++) steps[t] = Step(state, targetInput.Select(1, t));
        return Tensor.Stack(steps, 1);
    }

    /// <inheritdoc/>
    public override DecoderState Encode(Tensor source, int[] sourceLengths)
    {
        // h, c: [2, B, H] (forward at each sequence's last step, reverse at its first) → c = [h→; h←] [B, 2H].
        var (_, (h, c)) = encoder.Forward(dropout.Call(sourceEmbedding.Call(source)), null, sourceLengths);
        var summary = Tensor.Cat([h.Select(0, 0), h.Select(0, 1)], 1);
        var cells = Tensor.Cat([c.Select(0, 0), c.Select(0, 1)], 1);
        return new State(summary, bridgeH.Call(summary).Tanh(), bridgeC.Call(cells));
    }

    /// <inheritdoc/>
    public override Tensor Step(DecoderState state, Tensor tokens)
    {
        var s = (State)state;
        var input = Tensor.Cat([dropout.Call(targetEmbedding.Call(tokens)), s.Summary], 1);
        (s.H, s.C) = decoder.Forward(input, (s.H, s.C));
        return output.Call(dropout.Call(Tensor.Cat([s.H, s.Summary], 1)));
    }

    private sealed class State(Tensor summary, Tensor h, Tensor c) : DecoderState
    {
        public Tensor Summary { get; } = summary;     // the source's fixed summary c [N, 2H]
        public Tensor H { get; set; } = h;            // decoder state [N, H]
        public Tensor C { get; set; } = c;

        public override int Rows => H.Shape[0];

        public override DecoderState Select(Tensor indices) =>
            new State(Summary.IndexSelect(0, indices), H.IndexSelect(0, indices), C.IndexSelect(0, indices));
    }
}
