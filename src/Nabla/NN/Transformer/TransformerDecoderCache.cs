using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>The key/value caches of every layer of a <see cref="TransformerDecoder"/> for incremental decoding: a
/// growing cache per self-attention and a fixed one per memory attention (the memory is projected once).</summary>
/// <remarks>Greedy or beam decoding feeds token t alone with <c>tgtIsCausal: true</c>; the result equals the full
/// causal forward's position t. Positional encodings must then be applied at offset t.</remarks>
public sealed class TransformerDecoderCache
{
    private readonly KeyValueCache[] self, memory;

    /// <summary>Empty caches for a decoder of <paramref name="layers"/> layers.</summary>
    public TransformerDecoderCache(int layers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layers);
        self = [.. Enumerable.Range(0, layers).Select(_ => new KeyValueCache())];
        memory = [.. Enumerable.Range(0, layers).Select(_ => new KeyValueCache(fixedKeys: true))];
    }

    /// <summary>The number of layers.</summary>
    public int Layers => self.Length;

    /// <summary>The self-attention caches, one per layer.</summary>
    public IReadOnlyList<KeyValueCache> SelfAttention => self;

    /// <summary>The memory-attention caches, one per layer.</summary>
    public IReadOnlyList<KeyValueCache> Memory => memory;

    /// <summary>The number of target positions decoded so far.</summary>
    public int Length => self.Length == 0 ? 0 : self[0].Length;

    /// <summary>Empties every cache.</summary>
    public void Reset()
    {
        foreach (var c in self) c.Reset();
        foreach (var c in memory) c.Reset();
    }

    /// <summary>Keeps batch rows <paramref name="batchIndices"/> in every cache (beam search).</summary>
    public void Reorder(Tensor batchIndices)
    {
        foreach (var c in self) c.Reorder(batchIndices);
        foreach (var c in memory) c.Reorder(batchIndices);
    }
}
