using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Benchmarks.Workloads;

/// <summary>The transformer workload's language model in Nabla: token embedding scaled by √d plus sinusoidal positions
/// (with dropout), a causal Transformer encoder, and a linear head; batch-first, logits flattened to [N·T, V] for the
/// cross-entropy. Sub-modules are named as <see cref="TorchTransformerLm"/>'s, so weights copy across by name.</summary>
internal sealed class TransformerLm : Module<Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly SinusoidalPositionalEncoding positions;
    private readonly TransformerEncoder encoder;
    private readonly Linear head;
    private readonly double embeddingScale;

    public TransformerLm(int vocab, int dModel, int heads, int feedForward, int layers, double dropout, int maxLen, Generator generator)
    {
        embeddingScale = Math.Sqrt(dModel);
        embedding = RegisterModule("embedding", new Embedding(vocab, dModel, generator: generator));
        positions = RegisterModule("pos", new SinusoidalPositionalEncoding(dModel, dropout, maxLen, batchFirst: true, generator));
        var layer = new TransformerEncoderLayer(dModel, heads, feedForward, dropout, batchFirst: true, generator: generator);
        encoder = RegisterModule("encoder", new TransformerEncoder(layer, layers));
        head = RegisterModule("head", new Linear(dModel, vocab, generator: generator));
    }

    /// <summary>Tokens [N, T] → logits [N·T, V].</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = positions.Call(embedding.Call(input).Mul(embeddingScale));   // [N, T, d]
        var logits = head.Call(encoder.Forward(x, null, isCausal: true));     // [N, T, V]
        return logits.Reshape(-1, logits.Shape[^1]);
    }
}
