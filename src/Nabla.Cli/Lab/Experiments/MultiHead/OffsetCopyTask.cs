using Nabla.Cli.Lab.Common;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.MultiHead;

/// <summary>Copying with offsets: a sequence of random tokens, and at every position t the K tokens found at positions
/// t + o₁ … t + o_K. Each output needs its own place in the sequence, so one attention layer must look at K places at
/// once: the task multi-head attention is built for.</summary>
internal static class OffsetCopyTask
{
    /// <summary><paramref name="count"/> sequences of <paramref name="length"/> tokens uniform over
    /// <paramref name="vocabulary"/>; label [n, t, k] is token t + offsets[k], or <see cref="TaggedBatch.Ignore"/> where
    /// that falls outside the sequence.</summary>
    public static TaggedBatch Sample(int count, int length, int vocabulary, IReadOnlyList<int> offsets, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 2);
        var tokens = new long[count * length];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = generator.NextInt64(vocabulary);
        int k = offsets.Count;
        var labels = new long[count * length * k];
        for (int n = 0; n < count; n++)
            for (int t = 0; t < length; t++)
                for (int j = 0; j < k; j++)
                {
                    int source = t + offsets[j];
                    labels[(n * length + t) * k + j] = source >= 0 && source < length ? tokens[n * length + source] : TaggedBatch.Ignore;
                }
        return new TaggedBatch(Tensor.FromArray<long>(tokens, [count, length]), Tensor.FromArray<long>(labels, [count, length, k]));
    }
}
