using Nabla.Data.Text;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Translation;

/// <summary>What the LSTM translation models share: a bidirectional LSTM encoder over the source embeddings, the
/// decoder's first state computed from both final encoder states, and a decoder step that feeds the previous token's
/// embedding beside a context vector to an LSTM cell and maps [s'; context] to the next token's logits.</summary>
/// <remarks>Children: <c>source_embedding</c>, <c>encoder</c>, <c>bridge_h</c>, <c>bridge_c</c>, <c>target_embedding</c>,
/// <c>decoder</c> (LSTMCell), <c>dropout</c>, <c>output</c>. The models differ only in the context: a fixed summary of
/// the source (<see cref="LstmSeq2Seq"/>) or attention over the encoder outputs (<see cref="LstmAttentionSeq2Seq"/>).</remarks>
public abstract class LstmEncoderDecoder : Seq2SeqModel
{
    private readonly Embedding sourceEmbedding, targetEmbedding;
    private readonly LSTM encoder;
    private readonly Linear bridgeH, bridgeC, output;
    private readonly LSTMCell decoder;
    private readonly Dropout dropout;

    /// <summary>Creates the shared layers with PyTorch's default initialization; the context is 2·hidden wide.</summary>
    protected LstmEncoderDecoder(int sourceVocabulary, int targetVocabulary, int embedding, int hidden, double dropoutProbability, Generator? generator)
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

    /// <summary>Runs the encoder: its outputs [B, S, 2H], the final states of both directions side by side,
    /// [h→; h←] [B, 2H] (forward at each sequence's last step, reverse at its first), and the decoder's first state
    /// h₀ = tanh(W_h·[h→; h←] + b), c₀ = W_c·[c→; c←] + b.</summary>
    protected (Tensor Outputs, Tensor FinalStates, Tensor H, Tensor C) EncodeSource(Tensor source, int[] sourceLengths)
    {
        var (outputs, (h, c)) = encoder.Forward(dropout.Call(sourceEmbedding.Call(source)), null, sourceLengths);
        var hBoth = Tensor.Cat([h.Select(0, 0), h.Select(0, 1)], 1);
        var cBoth = Tensor.Cat([c.Select(0, 0), c.Select(0, 1)], 1);
        return (outputs, hBoth, bridgeH.Call(hBoth).Tanh(), bridgeC.Call(cBoth));
    }

    /// <summary>One decoder step: (h, c) ← LSTMCell([embed(tokens); context], (h, c)); logits = W_o·[h; context] + b.</summary>
    protected (Tensor Logits, Tensor H, Tensor C) DecodeStep(Tensor tokens, Tensor context, Tensor h, Tensor c)
    {
        var input = Tensor.Cat([dropout.Call(targetEmbedding.Call(tokens)), context], 1);
        (h, c) = decoder.Forward(input, (h, c));
        return (output.Call(dropout.Call(Tensor.Cat([h, context], 1))), h, c);
    }
}
