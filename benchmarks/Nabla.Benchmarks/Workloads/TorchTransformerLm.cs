using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nabla.Benchmarks.Workloads;

/// <summary><see cref="TransformerLm"/> in TorchSharp: the same layers under the same names (embedding, encoder, head).
/// libtorch's TransformerEncoderLayer is sequence-first, so this model takes tokens [T, N] and returns logits [T·N, V];
/// the workload hands it the transposed batch, which costs nothing per step.</summary>
internal sealed class TorchTransformerLm : nn.Module<Tensor, Tensor>
{
    // Registered by RegisterComponents under their field names, which are PyTorch's state-dict prefixes.
    private readonly Embedding embedding;
    private readonly TransformerEncoder encoder;
    private readonly Linear head;
    private readonly Dropout dropout;
    private readonly Tensor pe;    // [maxLen, 1, d], the sinusoidal table
    private readonly Tensor mask;  // [T, T], −∞ above the diagonal
    private readonly double embeddingScale;

    public TorchTransformerLm(int vocab, int dModel, int heads, int feedForward, int layers, double dropoutP, int seq, float[] table)
        : base("TransformerLm")
    {
        embeddingScale = Math.Sqrt(dModel);
        embedding = nn.Embedding(vocab, dModel);
        encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(dModel, heads, feedForward, dropoutP, nn.Activations.ReLU), layers);
        head = nn.Linear(dModel, vocab);
        dropout = nn.Dropout(dropoutP);
        pe = torch.tensor(table, [table.Length / dModel, 1, dModel]);
        mask = torch.triu(torch.full(seq, seq, float.NegativeInfinity), 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        // Intermediates belong to the caller's dispose scope, as in any TorchSharp training loop.
        long t = tokens.shape[0];
        var x = dropout.call(embedding.call(tokens) * embeddingScale + pe.narrow(0, 0, t));   // [T, N, d]
        var logits = head.call(encoder.call(x, mask));                                        // [T, N, V]
        return logits.reshape(-1, logits.shape[2]);
    }
}
