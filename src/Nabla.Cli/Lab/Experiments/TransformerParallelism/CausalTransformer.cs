using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.TransformerParallelism;

/// <summary>The Transformer side of the timing: a decoder-only language model as in Vaswani et al. (2017): token
/// embedding scaled by √d plus the sinusoidal position code, pre-norm encoder layers under a causal mask with a ReLU
/// feed-forward, a final layer norm and a linear head; ids [B, T] → logits [B, T, V].</summary>
/// <remarks><c>Nabla.Models.Language.TransformerLanguageModel</c> is the same model with a GELU feed-forward; ReLU is
/// used here because the comparison is between architectures, and Nabla's GELU kernel, as measured when this experiment
/// was written, cost about ten times ReLU's per element, enough to decide the timing by itself.</remarks>
internal sealed class CausalTransformer : Module<Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly SinusoidalPositionalEncoding positions;
    private readonly TransformerEncoder encoder;
    private readonly Linear head;
    private readonly double scale;

    /// <summary>Creates the model; <paramref name="contextLength"/> is the longest sequence it reads.</summary>
    public CausalTransformer(int vocabulary, int dModel, int heads, int feedForward, int layers, int contextLength, Generator generator)
    {
        scale = Math.Sqrt(dModel);
        embedding = RegisterModule("embedding", new Embedding(vocabulary, dModel, generator: generator));
        positions = RegisterModule("positions", new SinusoidalPositionalEncoding(dModel, 0, contextLength, batchFirst: true, generator: generator));
        var layer = new TransformerEncoderLayer(dModel, heads, feedForward, 0, "relu", batchFirst: true, normFirst: true, generator: generator);
        encoder = RegisterModule("encoder", new TransformerEncoder(layer, layers, new LayerNorm(dModel)));
        head = RegisterModule("head", new Linear(dModel, vocabulary, generator: generator));
        Init.Normal(embedding.Weight, 0, 1 / scale, generator);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = positions.Call(embedding.Call(input).Mul(scale));
        var mask = Transformer.GenerateSquareSubsequentMask(input.Shape[^1], x.DType);
        return head.Call(encoder.Forward(x, mask, null, isCausal: true));
    }
}
