using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Common;

/// <summary>An encoder-only Transformer that labels every position of a token sequence: token embedding scaled by √d,
/// plus the position code of <see cref="TaggerConfig.Positions"/>, pre-norm encoder layers without dropout, a final
/// layer norm, and a linear head to Outputs × Classes logits per position. The lab's synthetic sequence tasks (copying
/// with offsets, reversal) train it.</summary>
/// <remarks>Without a position code every step of the model treats positions alike, so it is permutation-equivariant:
/// permuting the input's positions permutes its output the same way.</remarks>
internal sealed class TokenTagger : Module<Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly Module<Tensor, Tensor>? positions;
    private readonly TransformerEncoder encoder;
    private readonly Linear head;
    private readonly double scale;

    /// <summary>Creates the model, every initial value drawn from <paramref name="generator"/>.</summary>
    public TokenTagger(TaggerConfig config, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        scale = Math.Sqrt(config.DModel);
        embedding = RegisterModule("embedding", new Embedding(config.Vocabulary, config.DModel, generator: generator));
        positions = config.Positions switch
        {
            PositionCode.Sinusoidal => RegisterModule("positions", new SinusoidalPositionalEncoding(config.DModel, 0, config.Length, batchFirst: true)),
            PositionCode.Learned => RegisterModule("positions", new LearnedPositionalEncoding(config.Length, config.DModel, 0, batchFirst: true, generator: generator)),
            _ => null,
        };
        var layer = new TransformerEncoderLayer(config.DModel, config.Heads, config.FeedForward, dropout: 0, batchFirst: true, normFirst: true, generator: generator);
        encoder = RegisterModule("encoder", new TransformerEncoder(layer, config.Layers, new LayerNorm(config.DModel)));
        head = RegisterModule("head", new Linear(config.DModel, config.Outputs * config.Classes, generator: generator));
        // Embeddings start N(0, 1/d) and are scaled by √d, so each component of a token (std 1) and of the position code
        // (amplitude 1) enter at the same scale, as in Nabla.Models' Transformers.
        Init.Normal(embedding.Weight, 0, 1 / scale, generator);
    }

    /// <summary>The model's shape.</summary>
    public TaggerConfig Config { get; }

    /// <summary>Logits [N, T, Outputs, Classes] for tokens [N, T] (int64).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = head.Call(encoder.Call(Embed(input)));
        return y.Reshape(input.Shape[0], input.Shape[1], Config.Outputs, Config.Classes);
    }

    /// <summary>Each layer's self-attention weights [N, H, T, T] for tokens [N, T], in evaluation mode (row i: the
    /// distribution of query position i over the key positions, one per head).</summary>
    public IReadOnlyList<Tensor> AttentionMaps(Tensor tokens)
    {
        using var _ = Tensor.NoGrad();
        bool training = Training;
        Eval();
        try
        {
            var maps = new List<Tensor>();
            var x = Embed(tokens);
            foreach (var layer in encoder.Layers)
            {
                var normed = layer.Norm1.Call(x);   // pre-norm: attention reads norm1(x)
                // needWeights: true always returns the weights.
                maps.Add(layer.SelfAttn.Forward(normed, normed, normed, needWeights: true, averageAttnWeights: false).Weights!);
                x = layer.Call(x);
            }
            return maps;
        }
        finally { Train(training); }
    }

    private Tensor Embed(Tensor tokens)
    {
        var x = embedding.Call(tokens).Mul(scale);
        return positions is null ? x : positions.Call(x);
    }

    /// <inheritdoc/>
    public override string Describe() => $"TokenTagger({Config.Describe()})";
}
