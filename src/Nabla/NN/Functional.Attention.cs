using Nabla.Autograd;
using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

// Scaled dot-product attention (torch.nn.functional.scaled_dot_product_attention).
public static partial class Functional
{
    private const string Sdpa = "ScaledDotProductAttention";

    /// <summary>Attention(Q, K, V) = softmax(α·Q·Kᵀ + M)·V with α = 1/√E by default
    /// (<c>F.scaled_dot_product_attention</c>).</summary>
    /// <remarks>
    /// <para>Shapes: query [..., L, E], key [..., S, E], value [..., S, Ev] → [..., L, Ev]; the leading dimensions
    /// broadcast. <paramref name="attnMask"/> broadcasts to [..., L, S]: a bool mask marks with <c>true</c> the pairs that
    /// take part (as in PyTorch's SDPA; the opposite of MultiheadAttention's masks), a float mask is added to the scores.
    /// <paramref name="isCausal"/> lets query i attend keys j ≤ i only (the top-left-aligned lower triangle, as PyTorch);
    /// it cannot be combined with a mask. Dropout with probability <paramref name="dropoutP"/> is applied to the weights
    /// whenever it is positive (pass 0 in evaluation), its mask drawn from <paramref name="generator"/> or
    /// <see cref="Generator.Default"/>.</para>
    /// <para>A query whose keys are all masked gets zero weights and a zero output (and passes no gradient); PyTorch's
    /// math path gives NaN there. One fused op computes each (batch, head) item: see docs/attention.md.</para>
    /// </remarks>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null,
        double dropoutP = 0, bool isCausal = false, double? scale = null, Generator? generator = null) =>
        Attend(query, key, value, attnMask, dropoutP, isCausal, scale, generator, needWeights: false).Output;

    /// <summary><see cref="ScaledDotProductAttention"/> that also returns the attention weights [..., L, S]
    /// (after dropout, the weights that multiplied V).</summary>
    /// <remarks>When a gradient is being recorded, the weights come from the composition of MatMul, Softmax and Dropout,
    /// so a loss may depend on them; otherwise from the fused op.</remarks>
    public static AttentionResult ScaledDotProductAttentionWithWeights(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null,
        double dropoutP = 0, bool isCausal = false, double? scale = null, Generator? generator = null) =>
        Attend(query, key, value, attnMask, dropoutP, isCausal, scale, generator, needWeights: true);

    private static AttentionResult Attend(Tensor query, Tensor key, Tensor value, Tensor? attnMask, double dropoutP, bool isCausal,
        double? scale, Generator? generator, bool needWeights)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var batch = CheckAttentionShapes(query, key, value);
        int l = query.shape[^2], e = query.shape[^1], s = key.shape[^2], ev = value.shape[^1];
        if (!(dropoutP >= 0 && dropoutP <= 1))
            throw new ArgumentOutOfRangeException(nameof(dropoutP), dropoutP, $"{Sdpa}: dropout probability must be between 0 and 1; got {dropoutP}.");
        if (isCausal && attnMask is not null)
            Throw.Argument($"{Sdpa}: an explicit attn_mask cannot be combined with is_causal (PyTorch's rule); fold the causal mask into attn_mask instead.");
        Tensor? bias = null;
        if (attnMask is not null)
        {
            int[] target = [.. batch, l, s];
            if (!BroadcastsTo(attnMask.shape, target))
                Throw.Shape(Sdpa, ShapeUtil.Format(target), ShapeUtil.Format(attnMask.shape),
                    $"{Sdpa}: attn_mask {ShapeUtil.Format(attnMask.shape)} must broadcast to the scores' shape {ShapeUtil.Format(target)} ([..., L, S]).");
            bias = AttentionMasks.ToAdditive(Sdpa, "attn_mask", attnMask, blockedWhen: false, query.DType);
        }
        double alpha = scale ?? 1 / Math.Sqrt(e);

        if (needWeights && (bias is null ? Graph.ShouldRecord([query, key, value]) : Graph.ShouldRecord([query, key, value, bias])))
        {
            var (o, w) = AttentionMath(query, key, value, bias, isCausal, 0, alpha, dropoutP, generator);
            return new AttentionResult(o, w);
        }

        // The fused op reads [B, T, C] operands: the broadcast batch flattened into B (views when nothing broadcasts).
        int items = ShapeUtil.NumEl(batch);
        var settings = new AttentionSettings(1, e, ev, alpha, isCausal, 0, dropoutP, generator);
        var (output, weights) = AttentionOp.Apply(new(Flatten(query, batch, items), 0), new(Flatten(key, batch, items), 0),
            new(Flatten(value, batch, items), 0), bias, batch, settings, needWeights);
        return new AttentionResult(output.Reshape([.. batch, l, ev]), weights?.ReshapeRaw([.. batch, l, s]));
    }

    /// <summary>Whether <paramref name="shape"/> broadcasts to <paramref name="target"/> without changing it.</summary>
    private static bool BroadcastsTo(int[] shape, int[] target)
    {
        if (shape.Length > target.Length) return false;
        for (int i = 1; i <= shape.Length; i++)
            if (shape[^i] != 1 && shape[^i] != target[^i]) return false;
        return true;
    }

    /// <summary>[..., T, C] expanded to the broadcast batch, then [B, T, C].</summary>
    private static Tensor Flatten(Tensor x, int[] batch, int items)
    {
        int[] full = [.. batch, x.shape[^2], x.shape[^1]];
        var expanded = ShapeUtil.SameShape(x.shape, full) ? x : x.Expand(full);
        return expanded.Reshape(items, x.shape[^2], x.shape[^1]);
    }

    /// <summary>Checks query [..., L, E], key [..., S, E], value [..., S, Ev]; returns their broadcast batch shape.</summary>
    private static int[] CheckAttentionShapes(Tensor query, Tensor key, Tensor value)
    {
        string shapes = $"query {ShapeUtil.Format(query.shape)}, key {ShapeUtil.Format(key.shape)}, value {ShapeUtil.Format(value.shape)}";
        if (!query.DType.IsFloatingPoint()) Throw.DType(Sdpa, query.DType, "float32 or float64");
        if (key.DType != query.DType || value.DType != query.DType)
            Throw.Argument($"{Sdpa}: query, key and value must share one dtype; got {query.DType.TorchName()}, {key.DType.TorchName()}, {value.DType.TorchName()}.");
        if (query.Dim < 2 || key.Dim < 2 || value.Dim < 2)
            Throw.Shape(Sdpa, "[..., L, E], [..., S, E], [..., S, Ev]", shapes, $"{Sdpa}: query, key and value need at least 2 dimensions ([..., L, E], [..., S, E], [..., S, Ev]); got {shapes}.");
        if (key.shape[^1] != query.shape[^1])
            Throw.Shape(Sdpa, $"key [..., S, {query.shape[^1]}]", ShapeUtil.Format(key.shape),
                $"{Sdpa}: query and key must share the embedding size E; got {shapes} ({query.shape[^1]} ≠ {key.shape[^1]}).");
        if (value.shape[^2] != key.shape[^2])
            Throw.Shape(Sdpa, $"value [..., {key.shape[^2]}, Ev]", ShapeUtil.Format(value.shape),
                $"{Sdpa}: key and value must have the same sequence length S; got {shapes} ({key.shape[^2]} ≠ {value.shape[^2]}).");
        var batch = ShapeUtil.Broadcast(Sdpa, query.shape.AsSpan(0, query.Dim - 2), key.shape.AsSpan(0, key.Dim - 2));
        return ShapeUtil.Broadcast(Sdpa, batch, value.shape.AsSpan(0, value.Dim - 2));
    }

    /// <summary>Attention written as the composition softmax(α·Q·Kᵀ + M)·V of differentiable ops (PyTorch's math path),
    /// with the safe softmax of <see cref="AttentionMasks.SafeSoftmax"/>: the reference for the fused op, and the path
    /// taken when weights that carry a gradient are asked for. Returns (output, weights after dropout).</summary>
    internal static (Tensor Output, Tensor Weights) AttentionMath(Tensor query, Tensor key, Tensor value, Tensor? bias,
        bool causal, int causalOffset, double scale, double dropoutP, Generator? generator)
    {
        var scores = query.MatMul(key.Transpose(-2, -1)).Mul(scale);   // [..., L, S]
        if (causal) scores = scores.Add(AttentionMasks.Causal(query.shape[^2], key.shape[^2], causalOffset, query.DType));
        if (bias is not null) scores = scores.Add(bias);
        var weights = AttentionMasks.SafeSoftmax(scores);
        if (dropoutP > 0) weights = Dropout(weights, dropoutP, training: true, generator);
        return (weights.MatMul(value), weights);
    }
}
