using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>A lookup table of <see cref="NumEmbeddings"/> vectors of size <see cref="EmbeddingDim"/> (<c>nn.Embedding</c>):
/// integer indices [...] → [..., EmbeddingDim]. See <see cref="Functional.Embedding"/>.</summary>
/// <remarks>The weight [V, D] starts as N(0, 1) with the padding row zeroed, as PyTorch's; the padding row receives
/// no gradient. <see cref="FromPretrained"/> wraps an existing table.</remarks>
public sealed class Embedding : Module<Tensor, Tensor>
{
    /// <summary>The table W [V, D].</summary>
    public Parameter Weight { get; }
    /// <summary>Vocabulary size V.</summary>
    public int NumEmbeddings { get; }
    /// <summary>Vector size D.</summary>
    public int EmbeddingDim { get; }
    /// <summary>The row that stays fixed (wrapped to [0, V)), or null.</summary>
    public int? PaddingIdx { get; }
    /// <summary>Rows looked up are renormalized to at most this norm, or null.</summary>
    public double? MaxNorm { get; }
    /// <summary>The p of the max-norm.</summary>
    public double NormType { get; }
    /// <summary>Divide each row's gradient by its frequency in the batch.</summary>
    public bool ScaleGradByFreq { get; }

    /// <summary>Creates a table drawn from N(0, 1) (PyTorch's argument order and defaults).</summary>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, double? maxNorm = null, double normType = 2,
        bool scaleGradByFreq = false, Generator? generator = null)
        : this(Tensor.Empty([numEmbeddings, embeddingDim]), paddingIdx, maxNorm, normType, scaleGradByFreq)
    {
        ResetParameters(generator);
    }

    private Embedding(Tensor weight, int? paddingIdx, double? maxNorm, double normType, bool scaleGradByFreq)
    {
        if (weight.Dim != 2)
            throw new ShapeMismatchException("Embedding", "[num_embeddings, embedding_dim]", ShapeUtil.Format(weight.ShapeSpan),
                $"Embedding: the weight must be 2-D [num_embeddings, embedding_dim]; got {ShapeUtil.Format(weight.ShapeSpan)}.");
        (NumEmbeddings, EmbeddingDim) = (weight.Shape[0], weight.Shape[1]);
        if (NumEmbeddings < 1 || EmbeddingDim < 1)
            throw new ArgumentException($"Embedding: num_embeddings ({NumEmbeddings}) and embedding_dim ({EmbeddingDim}) must be positive.");
        if (paddingIdx is { } p)
        {
            if (p >= NumEmbeddings || p < -NumEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), p, $"Embedding: padding_idx {p} must be within num_embeddings {NumEmbeddings}.");
            PaddingIdx = p < 0 ? p + NumEmbeddings : p;
        }
        (MaxNorm, NormType, ScaleGradByFreq) = (maxNorm, normType, scaleGradByFreq);
        Weight = RegisterParameter("weight", weight);
    }

    /// <summary>A layer over an existing table [V, D], sharing its storage (<c>nn.Embedding.from_pretrained</c>); with
    /// <paramref name="freeze"/> the weight gets no gradient. The padding row is left as given.</summary>
    public static Embedding FromPretrained(Tensor embeddings, bool freeze = true, int? paddingIdx = null, double? maxNorm = null,
        double normType = 2, bool scaleGradByFreq = false)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        var layer = new Embedding(embeddings.Detach(), paddingIdx, maxNorm, normType, scaleGradByFreq);
        layer.Weight.RequiresGrad = !freeze;
        return layer;
    }

    /// <summary>Draws the weight from N(0, 1) and zeroes the padding row.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        Init.Normal(Weight, 0, 1, generator);
        if (PaddingIdx is { } p)
            using (Tensor.NoGrad()) Weight.Select(0, p).Zero_();
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx, MaxNorm, NormType, ScaleGradByFreq);

    /// <inheritdoc/>
    public override string Describe() => $"Embedding({NumEmbeddings}, {EmbeddingDim}{(PaddingIdx is { } p ? $", padding_idx={p}" : "")})";
}
