using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Masks turned into the additive form the attention kernels read: 0 where a query may attend a key,
/// −∞ where it may not.</summary>
internal static class AttentionMasks
{
    /// <summary>A float mask of <paramref name="mask"/>'s shape: −∞ where the boolean mask equals
    /// <paramref name="blockedWhen"/>, 0 elsewhere. Scaled dot-product attention blocks where the mask is false
    /// ("true takes part"), MultiheadAttention and the Transformer layers where it is true ("true is masked").</summary>
    public static Tensor BoolToAdditive(Tensor mask, bool blockedWhen, DType dtype)
    {
        var m = mask.ContiguousRaw().Span<bool>();
        var bias = Tensor.Zeros(mask.shape, dtype);
        if (dtype == DType.Float32)
        {
            var b = bias.Span<float>();
            for (int i = 0; i < m.Length; i++) if (m[i] == blockedWhen) b[i] = float.NegativeInfinity;
        }
        else
        {
            var b = bias.Span<double>();
            for (int i = 0; i < m.Length; i++) if (m[i] == blockedWhen) b[i] = double.NegativeInfinity;
        }
        return bias;
    }

    /// <summary>A bool mask becomes additive; a float mask must have <paramref name="dtype"/> and is returned as is.</summary>
    public static Tensor ToAdditive(string op, string what, Tensor mask, bool blockedWhen, DType dtype)
    {
        if (mask.DType == DType.Bool) return BoolToAdditive(mask, blockedWhen, dtype);
        if (mask.DType != dtype)
            Throw.Argument($"{op}: {what} {ShapeUtil.Format(mask.ShapeSpan)} has dtype {mask.DType.TorchName()}; expected bool or {dtype.TorchName()} like the query.");
        return mask;
    }

    /// <summary>The causal mask [L, S] in additive form: query i may attend key j only when j ≤ i + offset.</summary>
    public static Tensor Causal(int l, int s, int offset, DType dtype)
    {
        var bias = Tensor.Zeros([l, s], dtype);
        for (int i = 0; i < l; i++)
            for (int j = Math.Max(0, i + offset + 1); j < s; j++) bias.SetFromDouble(i * s + j, double.NegativeInfinity);
        return bias;
    }

    /// <summary>Softmax along the last dimension that gives a row of all −∞ zero weights instead of NaN, with zero
    /// gradients; the math twin of the fused kernel's rule.</summary>
    public static Tensor SafeSoftmax(Tensor scores)
    {
        if (scores.NumEl == 0) return scores.Softmax(-1);
        Tensor dead;
        using (Tensor.NoGrad()) dead = scores.Max(-1, keepDim: true).Values.Eq(double.NegativeInfinity);
        if (dead.CountNonZero() == 0) return scores.Softmax(-1);
        // Filling the dead rows with 0 before the softmax keeps NaN out of both passes; after it, their weights are 0.
        return scores.MaskedFill(dead, 0).Softmax(-1).MaskedFill(dead, 0);
    }
}
