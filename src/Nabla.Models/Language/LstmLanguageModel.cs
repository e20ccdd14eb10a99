using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Language;

/// <summary>A recurrent language model: embedding (V → E) → LSTM (E → H, L layers, batch-first, dropout between layers)
/// → dropout → linear (H → V). Children under PyTorch's names: <c>embedding</c>, <c>rnn</c>, <c>head</c>.</summary>
public sealed class LstmLanguageModel : LanguageModel
{
    private readonly Embedding embedding;
    private readonly LSTM rnn;
    private readonly Dropout dropout;
    private readonly Linear head;
    private (Tensor H, Tensor C)? state;

    /// <summary>Creates the model with PyTorch's default initialization.</summary>
    public LstmLanguageModel(int vocabularySize, int embeddingSize, int hiddenSize, int layers, double dropoutProbability = 0, Generator? generator = null)
    {
        VocabularySize = vocabularySize;
        embedding = RegisterModule("embedding", new Embedding(vocabularySize, embeddingSize, generator: generator));
        rnn = RegisterModule("rnn", new LSTM(embeddingSize, hiddenSize, layers, batchFirst: true, dropout: layers > 1 ? dropoutProbability : 0, generator: generator));
        dropout = RegisterModule("dropout", new Dropout(dropoutProbability, generator));
        head = RegisterModule("head", new Linear(hiddenSize, vocabularySize, generator: generator));
    }

    /// <inheritdoc/>
    public override int VocabularySize { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null).Logits;

    /// <summary>Logits [B, T, V] for ids [B, T], starting from <paramref name="initial"/> (zeros when null), and the final state.</summary>
    public (Tensor Logits, (Tensor H, Tensor C) State) Forward(Tensor ids, (Tensor H, Tensor C)? initial)
    {
        var (output, final) = rnn.Forward(embedding.Call(ids), initial);
        return (head.Call(dropout.Call(output)), final);
    }

    /// <inheritdoc/>
    public override Tensor Begin(IReadOnlyList<long> prompt)
    {
        var ids = Tensor.FromArray<long>([.. prompt], [1, prompt.Count]);
        var (logits, final) = Forward(ids, null);
        state = final;
        return logits.Select(0, 0).Select(0, prompt.Count - 1);
    }

    /// <inheritdoc/>
    public override Tensor Next(long token)
    {
        var (logits, final) = Forward(Tensor.FromArray<long>([token], [1, 1]), state ?? throw new InvalidOperationException("LstmLanguageModel.Next: call Begin first."));
        state = final;
        return logits.Select(0, 0).Select(0, 0);
    }
}
