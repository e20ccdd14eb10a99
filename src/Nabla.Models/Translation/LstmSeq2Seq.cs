using Nabla.Tensors;

namespace Nabla.Models.Translation;

/// <summary>An RNN encoder-decoder without attention (Cho et al., 2014; Sutskever, Vinyals and Le, 2014): a
/// bidirectional LSTM reads the source and its two final states, concatenated, are the one fixed-size summary c of the
/// whole source; the decoder starts from a state computed from c and is given c again at every step, beside the previous
/// token's embedding; a linear layer maps [s'; c] to the next token's logits.</summary>
/// <remarks>It is <see cref="LstmAttentionSeq2Seq"/> with the attended context c_t replaced by the fixed c: the same
/// <see cref="LstmEncoderDecoder"/> layers under the same names, less <c>attention</c>, so comparing the two measures
/// what attention adds: everything the decoder knows about the source has to pass through the 2H numbers of c.</remarks>
public sealed class LstmSeq2Seq : LstmEncoderDecoder
{
    /// <summary>Creates the model with PyTorch's default initialization.</summary>
    public LstmSeq2Seq(int sourceVocabulary, int targetVocabulary, int embedding, int hidden, double dropoutProbability = 0.1, Generator? generator = null)
        : base(sourceVocabulary, targetVocabulary, embedding, hidden, dropoutProbability, generator)
    {
    }

    /// <inheritdoc/>
    public override DecoderState Encode(Tensor source, int[] sourceLengths)
    {
        var (_, summary, h, c) = EncodeSource(source, sourceLengths);   // c = [h→; h←] [B, 2H]
        return new State(summary, h, c);
    }

    /// <inheritdoc/>
    public override Tensor Step(DecoderState state, Tensor tokens)
    {
        var s = (State)state;
        (var logits, s.H, s.C) = DecodeStep(tokens, s.Summary, s.H, s.C);
        return logits;
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
