using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Language;

/// <summary>A decoder-only (GPT-style) language model: token embedding (V → d, scaled by √d) plus the sinusoidal position
/// code, a stack of pre-norm Transformer encoder layers under a causal mask (GELU feed-forward), a final layer norm and a
/// linear head d → V. Children: <c>embedding</c>, <c>positions</c>, <c>encoder</c>, <c>head</c>.</summary>
/// <remarks>Generation re-reads the last <see cref="Context"/> tokens for each new token: no recurrent state to carry,
/// the cost the Transformer pays for training all positions in parallel.</remarks>
public sealed class TransformerLanguageModel : LanguageModel
{
    private readonly Embedding embedding;
    private readonly SinusoidalPositionalEncoding positions;
    private readonly TransformerEncoder encoder;
    private readonly Linear head;
    private readonly double scale;
    private readonly List<long> context = [];

    /// <summary>Creates the model with PyTorch's default initialization.</summary>
    public TransformerLanguageModel(int vocabularySize, int dModel, int heads, int feedForward, int layers, int contextLength,
        double dropout = 0.1, Generator? generator = null)
    {
        (VocabularySize, Context, scale) = (vocabularySize, contextLength, Math.Sqrt(dModel));
        embedding = RegisterModule("embedding", new Embedding(vocabularySize, dModel, generator: generator));
        positions = RegisterModule("positions", new SinusoidalPositionalEncoding(dModel, dropout, contextLength, batchFirst: true, generator: generator));
        var layer = new TransformerEncoderLayer(dModel, heads, feedForward, dropout, "gelu", batchFirst: true, normFirst: true, generator: generator);
        encoder = RegisterModule("encoder", new TransformerEncoder(layer, layers, new LayerNorm(dModel)));
        head = RegisterModule("head", new Linear(dModel, vocabularySize, generator: generator));
        // Embeddings start N(0, 1/d) and are scaled by √d (fairseq's convention), so tokens and the position code
        // (amplitude 1) enter at the same scale; N(0, 1)·√d would drown the positions.
        Init.Normal(embedding.Weight, 0, 1 / scale, generator);
    }

    /// <inheritdoc/>
    public override int VocabularySize { get; }

    /// <summary>The longest context the model reads (its position table's length).</summary>
    public int Context { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        int steps = input.Shape[^1];
        if (steps > Context)
            throw new ArgumentException($"TransformerLanguageModel: {steps} tokens exceed the context of {Context}.", nameof(input));
        var x = positions.Call(embedding.Call(input).Mul(scale));
        var mask = Transformer.GenerateSquareSubsequentMask(steps, x.DType);
        return head.Call(encoder.Forward(x, mask, null, isCausal: true));
    }

    /// <inheritdoc/>
    public override Tensor Begin(IReadOnlyList<long> prompt)
    {
        context.Clear();
        context.AddRange(prompt);
        return LastLogits();
    }

    /// <inheritdoc/>
    public override Tensor Next(long token)
    {
        context.Add(token);
        return LastLogits();
    }

    private Tensor LastLogits()
    {
        int start = Math.Max(0, context.Count - Context);
        var window = context.GetRange(start, context.Count - start);
        var logits = Forward(Tensor.FromArray<long>([.. window], [1, window.Count]));
        return logits.Select(0, 0).Select(0, window.Count - 1);
    }
}
