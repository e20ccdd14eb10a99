using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Language;

/// <summary>A next-token model: ids [B, T] → logits [B, T, V], position t predicting token t + 1 from tokens ≤ t; and
/// token-by-token generation, which each architecture runs its own way (an LSTM carries its state; a Transformer
/// re-reads its context window).</summary>
public abstract class LanguageModel : Module<Tensor, Tensor>
{
    /// <summary>V: the number of token ids.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>Starts generation from <paramref name="prompt"/> (at least one id); returns the logits [V] for the next token.</summary>
    public abstract Tensor Begin(IReadOnlyList<long> prompt);

    /// <summary>Appends <paramref name="token"/> and returns the logits [V] for the token after it.</summary>
    public abstract Tensor Next(long token);

    /// <summary>Generates <paramref name="length"/> tokens after <paramref name="prompt"/> with <see cref="TokenSampler"/>,
    /// in evaluation mode and without recording gradients.</summary>
    public long[] Generate(IReadOnlyList<long> prompt, int length, double temperature = 1, int topK = 0, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Count == 0) throw new ArgumentException($"{GetType().Name}.Generate: the prompt must hold at least one token.", nameof(prompt));
        bool wasTraining = Training;
        Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var output = new long[length];
            var logits = Begin(prompt);
            for (int i = 0; i < length; i++)
            {
                output[i] = TokenSampler.Sample(logits, temperature, topK, generator);
                if (i + 1 < length) logits = Next(output[i]);
            }
            return output;
        }
        finally { Train(wasTraining); }
    }
}
