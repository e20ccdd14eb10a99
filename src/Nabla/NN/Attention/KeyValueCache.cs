using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>The projected keys and values a <see cref="MultiheadAttention"/> has already computed, so that incremental
/// decoding projects only the new positions.</summary>
/// <remarks>
/// <para>A growing cache (self-attention of a decoder) appends each call's keys and values: step t feeds only token t,
/// attends over all t + 1 cached positions, and with <c>isCausal</c> the mask is aligned to the end (query i of the
/// call sees the cached keys and the new keys up to itself). A fixed cache (<paramref name="fixedKeys"/>: cross-attention
/// over an encoder's memory) is filled by the first call and reused unchanged afterwards: later calls' key and value
/// arguments are ignored.</para>
/// <para>Keys and values are stored batch-first with the heads merged, [N, S, E]. For beam search,
/// <see cref="Reorder"/> picks the rows of the surviving hypotheses.</para>
/// </remarks>
/// <param name="fixedKeys">True for a cache that is filled once and then only read.</param>
public sealed class KeyValueCache(bool fixedKeys = false)
{
    /// <summary>True when the cache is filled once and then only read (cross-attention).</summary>
    public bool FixedKeys { get; } = fixedKeys;

    /// <summary>Projected keys [N, S, E], or null while empty.</summary>
    public Tensor? Keys { get; private set; }

    /// <summary>Projected values [N, S, E], or null while empty.</summary>
    public Tensor? Values { get; private set; }

    /// <summary>The number of cached positions S.</summary>
    public int Length => Keys?.Shape[1] ?? 0;

    /// <summary>Empties the cache (a new sequence starts).</summary>
    public void Reset() => (Keys, Values) = (null, null);

    /// <summary>Keeps batch rows <paramref name="batchIndices"/> (int64 [N'], repeats allowed), as beam search does
    /// when it extends some hypotheses and drops others.</summary>
    public void Reorder(Tensor batchIndices)
    {
        ArgumentNullException.ThrowIfNull(batchIndices);
        if (Keys is null || Values is null) return;
        (Keys, Values) = (Keys.IndexSelect(0, batchIndices), Values.IndexSelect(0, batchIndices));
    }

    internal void Set(Tensor keys, Tensor values) => (Keys, Values) = (keys, values);
}
