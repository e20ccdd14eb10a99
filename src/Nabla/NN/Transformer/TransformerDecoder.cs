using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>A stack of N decoder layers and an optional final norm (<c>nn.TransformerDecoder</c>).</summary>
/// <remarks>The layers are deep copies of the given one, so they start with identical weights; state-dict keys are
/// <c>layers.0.…</c> … and <c>norm.…</c>. With a <see cref="TransformerDecoderCache"/>, each call feeds only the new
/// target positions and reuses the keys and values of the earlier ones and of the memory.</remarks>
public sealed class TransformerDecoder : Module
{
    /// <summary>The layers (<c>layers</c>).</summary>
    public ModuleList<TransformerDecoderLayer> Layers { get; }
    /// <summary>The final norm (<c>norm</c>), or null.</summary>
    public LayerNorm? Norm { get; }

    /// <summary>Stacks <paramref name="numLayers"/> copies of <paramref name="decoderLayer"/>.</summary>
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, LayerNorm? norm = null)
    {
        ArgumentNullException.ThrowIfNull(decoderLayer);
        ArgumentOutOfRangeException.ThrowIfNegative(numLayers);
        Layers = RegisterModule("layers", new ModuleList<TransformerDecoderLayer>(Enumerable.Range(0, numLayers).Select(_ => decoderLayer.Clone())));
        if (norm is not null) Norm = RegisterModule("norm", norm);
    }

    /// <summary>Runs every layer with the same masks and memory, then the norm (PyTorch's <c>forward</c>).</summary>
    /// <param name="tgt">[T, N, E] ([N, T, E] batch-first) or [T, E]; with a cache, only the new positions.</param>
    /// <param name="memory">[S, N, E] ([N, S, E]) or [S, E].</param>
    /// <param name="tgtMask">[T, T] (with a cache [T, past + T]) or [N·H, …]: bool, true = not allowed; or float, added.</param>
    /// <param name="memoryMask">[T, S] or [N·H, T, S].</param>
    /// <param name="tgtKeyPaddingMask">[N, T]: bool, true = padding; or float.</param>
    /// <param name="memoryKeyPaddingMask">[N, S]: bool, true = padding; or float.</param>
    /// <param name="tgtIsCausal">Apply the causal rule in self-attention (a hint when <paramref name="tgtMask"/> is given).</param>
    /// <param name="memoryIsCausal">Apply the causal rule in memory attention.</param>
    /// <param name="cache">Per-layer key/value caches for incremental decoding, or null.</param>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
        Tensor? memoryKeyPaddingMask = null, bool tgtIsCausal = false, bool memoryIsCausal = false, TransformerDecoderCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(tgt);
        if (cache is not null && cache.Layers != Layers.Count)
            throw new ArgumentException($"TransformerDecoder: the cache was made for {cache.Layers} layers but the decoder has {Layers.Count}.", nameof(cache));
        var x = tgt;
        for (int i = 0; i < Layers.Count; i++)
            x = Layers[i].Forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal,
                cache?.SelfAttention[i], cache?.Memory[i]);
        return Norm is null ? x : Norm.Call(x);
    }
}
