using Nabla.Tensors;

namespace Nabla.Cli.Lab.Common;

/// <summary>Sequences and their per-position labels for a <see cref="TokenTagger"/>.</summary>
/// <param name="Tokens">Input ids [N, T], int64.</param>
/// <param name="Labels">Label ids [N, T, outputs], int64; <see cref="Ignore"/> where a position has no label.</param>
internal sealed record TaggedBatch(Tensor Tokens, Tensor Labels)
{
    /// <summary>The label of "no label" (cross-entropy's default ignore index).</summary>
    public const long Ignore = -100;

    /// <summary>N, the number of sequences.</summary>
    public int Count => Tokens.Shape[0];

    /// <summary>The first <paramref name="count"/> sequences.</summary>
    public TaggedBatch Head(int count) => new(Tokens.Narrow(0, 0, Math.Min(count, Count)), Labels.Narrow(0, 0, Math.Min(count, Count)));
}
