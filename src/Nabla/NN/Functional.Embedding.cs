using System.Globalization;
using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

// Embeddings (torch.nn.functional.embedding).
public static partial class Functional
{
    /// <summary>Looks up rows of <paramref name="weight"/> [V, D] for integer indices of any shape: [...] → [..., D]
    /// (<c>F.embedding</c>).</summary>
    /// <remarks>Indices are int64 or int32 in [0, V). The row <paramref name="paddingIdx"/> (negative counts from the
    /// end) receives no gradient. With <paramref name="maxNorm"/>, each referenced row whose
    /// <paramref name="normType"/>-norm exceeds it is first scaled down to it in place, as PyTorch does.
    /// <paramref name="scaleGradByFreq"/> divides each row's gradient by its number of occurrences in the batch.</remarks>
    public static Tensor Embedding(Tensor input, Tensor weight, int? paddingIdx = null, double? maxNorm = null, double normType = 2,
        bool scaleGradByFreq = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        long padding = -1;
        if (paddingIdx is { } p)
        {
            int v = weight.Dim > 0 ? weight.Shape[0] : 0;
            if (p >= v || p < -v)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), p, $"Embedding: padding_idx {p} must be within num_embeddings {v} (in [{-v}, {v})).");
            padding = p < 0 ? p + v : p;
        }
        if (maxNorm is { } m && !(m > 0))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), m, $"Embedding: max_norm must be positive; got {m.ToString(CultureInfo.InvariantCulture)}.");
        return EmbeddingOp.Apply(weight, input, padding, maxNorm, normType, scaleGradByFreq);
    }
}
