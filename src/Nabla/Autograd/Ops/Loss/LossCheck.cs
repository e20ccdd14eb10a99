using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Argument checks shared by the loss ops; each message names the op, what was given and what was expected.</summary>
internal static class LossCheck
{
    public static void FloatInput(string op, Tensor input)
    {
        if (!input.DType.IsFloatingPoint())
            Throw.Argument($"{op}: input {ShapeUtil.Format(input.ShapeSpan)} has dtype {input.DType.TorchName()}; expected float32 or float64.");
    }

    /// <summary><paramref name="other"/> (named <paramref name="what"/>) must have the input's dtype.</summary>
    public static void SameDType(string op, string what, Tensor other, Tensor input)
    {
        if (other.DType != input.DType)
            Throw.Argument($"{op}: {what} {ShapeUtil.Format(other.ShapeSpan)} has dtype {other.DType.TorchName()} but input {ShapeUtil.Format(input.ShapeSpan)} is {input.DType.TorchName()}; they must match (convert with To(DType)).");
    }

    /// <summary>The target must have exactly the input's shape (binary cross-entropy, as PyTorch requires).</summary>
    public static void SameShape(string op, Tensor input, Tensor target)
    {
        if (!ShapeUtil.SameShape(input.ShapeSpan, target.ShapeSpan))
            Throw.Shape(op, ShapeUtil.Format(input.ShapeSpan), ShapeUtil.Format(target.ShapeSpan),
                $"{op}: target has shape {ShapeUtil.Format(target.ShapeSpan)} but input has shape {ShapeUtil.Format(input.ShapeSpan)}; they must be the same.");
    }

    /// <summary>The shape input and target broadcast to (mse, l1: PyTorch broadcasts them).</summary>
    public static int[] BroadcastShape(string op, Tensor input, Tensor target)
    {
        if (ShapeUtil.SameShape(input.ShapeSpan, target.ShapeSpan)) return input.shape;
        if (!Broadcastable(input.ShapeSpan, target.ShapeSpan))
            Throw.Shape(op, ShapeUtil.Format(input.ShapeSpan), ShapeUtil.Format(target.ShapeSpan),
                $"{op}: target {ShapeUtil.Format(target.ShapeSpan)} cannot be broadcast with input {ShapeUtil.Format(input.ShapeSpan)} (aligned from the right, each pair of sizes must be equal or contain 1).");
        return ShapeUtil.Broadcast(op, input.ShapeSpan, target.ShapeSpan);
    }

    /// <summary><paramref name="t"/> (a weight) read as the input's shape, contiguous: it must broadcast to that shape.</summary>
    public static Tensor ExpandTo(string op, string what, Tensor t, Tensor input)
    {
        SameDType(op, what, t, input);
        var target = input.shape;
        bool ok = t.Dim <= target.Length;
        for (int i = 0; ok && i < t.Dim; i++) ok = t.shape[i] == 1 || t.shape[i] == target[target.Length - t.Dim + i];
        if (!ok)
            Throw.Shape(op, ShapeUtil.Format(target), ShapeUtil.Format(t.ShapeSpan),
                $"{op}: {what} of shape {ShapeUtil.Format(t.ShapeSpan)} cannot be broadcast to the input's shape {ShapeUtil.Format(target)}.");
        return ShapeUtil.SameShape(t.ShapeSpan, target) ? t.CloneRaw() : t.ExpandRaw(target).CloneRaw();
    }

    private static bool Broadcastable(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
        {
            int da = a[^i], db = b[^i];
            if (da != db && da != 1 && db != 1) return false;
        }
        return true;
    }

    /// <summary>The Node input slot of an optional weight must not ask for a gradient: PyTorch does not differentiate it either.</summary>
    public static void NoWeightGradient(string op, string what) =>
        Throw.InvalidOperation($"{op}: the derivative with respect to {what} is not implemented (as in PyTorch); detach it or set RequiresGrad = false.");
}
