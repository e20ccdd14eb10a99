using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>A stack of N encoder layers and an optional final norm (<c>nn.TransformerEncoder</c>).</summary>
/// <remarks>The layers are deep copies of the given one (PyTorch's <c>_get_clones</c>), so they start with identical
/// weights; state-dict keys are <c>layers.0.…</c> … <c>layers.{N−1}.…</c> and <c>norm.…</c>.</remarks>
public sealed class TransformerEncoder : Module<Tensor, Tensor>
{
    /// <summary>The layers (<c>layers</c>).</summary>
    public ModuleList<TransformerEncoderLayer> Layers { get; }
    /// <summary>The final norm (<c>norm</c>), or null.</summary>
    public LayerNorm? Norm { get; }

    /// <summary>Stacks <paramref name="numLayers"/> copies of <paramref name="encoderLayer"/>.</summary>
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, LayerNorm? norm = null)
    {
        ArgumentNullException.ThrowIfNull(encoderLayer);
        ArgumentOutOfRangeException.ThrowIfNegative(numLayers);
        Layers = RegisterModule("layers", new ModuleList<TransformerEncoderLayer>(Enumerable.Range(0, numLayers).Select(_ => encoderLayer.Clone())));
        if (norm is not null) Norm = RegisterModule("norm", norm);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>Runs every layer with the same masks, then the norm (<c>forward(src, mask, src_key_padding_mask, is_causal)</c>).</summary>
    /// <param name="src">[S, N, E] ([N, S, E] batch-first) or [S, E].</param>
    /// <param name="mask">[S, S] or [N·H, S, S]: bool, true = not allowed; or float, added.</param>
    /// <param name="srcKeyPaddingMask">[N, S]: bool, true = padding; or float.</param>
    /// <param name="isCausal">Apply the causal rule (a hint when <paramref name="mask"/> is given).</param>
    public Tensor Forward(Tensor src, Tensor? mask, Tensor? srcKeyPaddingMask = null, bool isCausal = false)
    {
        ArgumentNullException.ThrowIfNull(src);
        var x = src;
        foreach (var layer in Layers) x = layer.Forward(x, mask, srcKeyPaddingMask, isCausal);
        return Norm is null ? x : Norm.Call(x);
    }
}
