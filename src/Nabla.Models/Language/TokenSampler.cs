using Nabla.Tensors;

namespace Nabla.Models.Language;

/// <summary>Draws the next token from logits: temperature scaling, then top-k filtering, then a categorical draw.</summary>
public static class TokenSampler
{
    /// <summary>A token id drawn from softmax(logits / <paramref name="temperature"/>) restricted to the
    /// <paramref name="topK"/> most likely ids (all when 0); temperature 0 takes the most likely id (greedy).</summary>
    public static long Sample(Tensor logits, double temperature = 1, int topK = 0, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Dim != 1) throw new ArgumentException($"TokenSampler.Sample: logits must be 1-D [V]; got [{string.Join(", ", logits.Shape)}].", nameof(logits));
        if (temperature < 0 || double.IsNaN(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"TokenSampler.Sample: temperature must be ≥ 0; got {temperature}.");
        if (topK < 0) throw new ArgumentOutOfRangeException(nameof(topK), $"TokenSampler.Sample: top-k must be ≥ 0; got {topK}.");
        if (temperature == 0) return logits.ArgMax(0).Item<long>();
        var scaled = logits.To(DType.Float32).Div(temperature);
        if (topK > 0 && topK < logits.Shape[0])
        {
            var (values, indices) = scaled.TopK(topK);
            long pick = values.Softmax(0).Multinomial(1, generator: generator).Item<long>();
            return (long)indices[(int)pick];
        }
        return scaled.Softmax(0).Multinomial(1, generator: generator).Item<long>();
    }
}
