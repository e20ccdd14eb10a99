using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Translation;

/// <summary>An encoder-decoder over token ids: trained with teacher forcing (<see cref="Forward"/>), decoded one token at
/// a time from an encoded batch (<see cref="Encode"/>, <see cref="Step"/>) by <see cref="Decoding"/>'s greedy and beam
/// search. Source ids are [B, S] padded with id 0 and given with their lengths; target ids start with &lt;bos&gt;.</summary>
public abstract class Seq2SeqModel : Module
{
    /// <summary>V: the number of target ids.</summary>
    public abstract int TargetVocabularySize { get; }

    /// <summary>Logits [B, T, V] for each position of <paramref name="targetInput"/> [B, T] (the target shifted right,
    /// starting with &lt;bos&gt;), each predicting the next target token.</summary>
    public abstract Tensor Forward(Tensor source, int[] sourceLengths, Tensor targetInput);

    /// <summary>Encodes a batch, ready to decode from &lt;bos&gt;.</summary>
    public abstract DecoderState Encode(Tensor source, int[] sourceLengths);

    /// <summary>Feeds each row's latest token <paramref name="tokens"/> [N] and returns the logits [N, V] of the token after
    /// it, advancing <paramref name="state"/>.</summary>
    public abstract Tensor Step(DecoderState state, Tensor tokens);
}

/// <summary>What a decoder carries between steps for N rows (examples, or examples × beams).</summary>
public abstract class DecoderState
{
    /// <summary>N: the rows being decoded.</summary>
    public abstract int Rows { get; }

    /// <summary>The state of rows <paramref name="indices"/> (int64 [N']), in that order: beam search's reordering.</summary>
    public abstract DecoderState Select(Tensor indices);

    /// <summary>The attention over source positions [N, S] the last step used, when the model has one to show
    /// (the encoder-decoder attention, averaged over heads for a Transformer).</summary>
    public Tensor? LastAttention { get; protected set; }
}
