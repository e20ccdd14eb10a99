using Nabla.Cli.Lab.Common;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.PositionalEncoding;

/// <summary>Reversal: a sequence of random tokens labelled, at every position t, with the token at position T − 1 − t.
/// The label depends on where a token sits, not only on which tokens are present: an order-sensitive task.</summary>
internal static class ReversalTask
{
    /// <summary><paramref name="count"/> sequences of <paramref name="length"/> tokens uniform over
    /// <paramref name="vocabulary"/>, with labels [N, T, 1] holding the reversed sequence.</summary>
    public static TaggedBatch Sample(int count, int length, int vocabulary, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 2);
        var tokens = new long[count * length];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = generator.NextInt64(vocabulary);
        var labels = new long[count * length];
        for (int n = 0; n < count; n++)
            for (int t = 0; t < length; t++) labels[n * length + t] = tokens[n * length + length - 1 - t];
        return new TaggedBatch(Tensor.FromArray<long>(tokens, [count, length]), Tensor.FromArray<long>(labels, [count, length, 1]));
    }

    /// <summary>The best per-token accuracy any permutation-equivariant model can reach on <paramref name="data"/>, for
    /// even lengths: such a model's output at t is a function of token t and of the bag of all tokens only, and given
    /// those the label (the token at T − 1 − t ≠ t) is equally likely to be any of the other T − 1 tokens; so the best
    /// guess is the most frequent token of the bag with one copy of token t removed, right with probability
    /// (its count) / (T − 1).</summary>
    public static double EquivariantCeiling(TaggedBatch data, int vocabulary)
    {
        ArgumentNullException.ThrowIfNull(data);
        int length = data.Tokens.Shape[1];
        if (length % 2 != 0 || length < 2)
            throw new ArgumentException($"ReversalTask.EquivariantCeiling: length {length} must be even and at least 2 (an odd length's middle token is its own label)", nameof(data));
        var tokens = data.Tokens.Contiguous().ToArray<long>();
        var counts = new int[vocabulary];
        double total = 0;
        for (int n = 0; n < data.Count; n++)
        {
            Array.Clear(counts);
            for (int t = 0; t < length; t++) counts[tokens[n * length + t]]++;
            for (int t = 0; t < length; t++)
            {
                long own = tokens[n * length + t];
                counts[own]--;
                total += counts.Max() / (double)(length - 1);
                counts[own]++;
            }
        }
        return total / ((double)data.Count * length);
    }
}
