using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Binary cross-entropy of probabilities x ∈ [0, 1] against targets y ∈ [0, 1] (<c>F.binary_cross_entropy</c>):
/// l = −w·(y·max(ln x, −100) + (1 − y)·max(ln(1 − x), −100)).
/// dx = g·w·(x − y) / max(x·(1 − x), 10⁻¹²),  dy = g·w·(ln(1 − x) − ln x).</summary>
/// <remarks>The logs are clamped at −100 so x = 0 or 1 gives a finite loss; the gradient keeps PyTorch's form
/// (the true derivative in the interior, bounded by the 10⁻¹² floor at the ends), and dy is −logit(x) unclamped,
/// as PyTorch's. The weight (broadcast to x) is a constant. x and y must share a shape.</remarks>
internal sealed class BinaryCrossEntropyOp : Node
{
    private const string Op = "BinaryCrossEntropy";
    private SavedTensor input, target;
    private Tensor? weight;                 // the weight expanded to x's shape, contiguous
    private readonly LossReduction reduction;

    private BinaryCrossEntropyOp(Tensor input, Tensor target, Tensor? userWeight, Tensor? weight, LossReduction reduction)
        : base(userWeight is null ? [input, target] : [input, target, userWeight])
    {
        (this.input, this.target) = (Save(input), Save(target));
        (this.weight, this.reduction) = (weight, reduction);
    }

    public static Tensor Apply(Tensor input, Tensor target, Tensor? weight, LossReduction reduction)
    {
        LossCheck.FloatInput(Op, input);
        LossCheck.SameShape(Op, input, target);
        LossCheck.SameDType(Op, "target", target, input);
        var w = weight is null ? null : LossCheck.ExpandTo(Op, "weight", weight, input);
        var x = input.ContiguousRaw();
        var y = target.ContiguousRaw();
        var loss = input.DType == DType.Float32 ? Forward<float>(x, y, w, reduction) : Forward<double>(x, y, w, reduction);
        bool record = weight is null ? Graph.ShouldRecord(input, target) : Graph.ShouldRecord([input, target, weight]);
        return record ? Graph.Record(loss, new BinaryCrossEntropyOp(input, target, weight, w, reduction)) : loss;
    }

    private static Tensor Forward<T>(Tensor x, Tensor y, Tensor? weight, LossReduction reduction) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> xs = x.Span<T>(), ys = y.Span<T>();
        ReadOnlySpan<T> w = weight is null ? default : weight.Span<T>();
        var loss = Tensor.Uninitialized(x.ShapeSpan, x.DType);
        var ls = loss.Span<T>();
        T floor = T.CreateTruncating(-100);
        double total = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            T xi = xs[i], yi = ys[i];
            if (!(xi >= T.Zero && xi <= T.One))
                Throw.Argument($"{Op}: all elements of input should be between 0 and 1; input[{i}] (flat) is {xi}. Use BinaryCrossEntropyWithLogits for unbounded scores.");
            if (!(yi >= T.Zero && yi <= T.One))
                Throw.Argument($"{Op}: all elements of target should be between 0 and 1; target[{i}] (flat) is {yi}.");
            T li = (yi - T.One) * T.Max(T.LogP1(-xi), floor) - yi * T.Max(T.Log(xi), floor);
            if (!w.IsEmpty) li *= w[i];
            ls[i] = li;
            total += double.CreateTruncating(li);
        }
        return reduction == LossReduction.None ? loss : LossOutput.Reduced(total, xs.Length, reduction, x.DType);
    }

    protected internal override void Backward(Tensor dy)
    {
        if (Inputs.Length > 2 && NeedsGrad(2)) LossCheck.NoWeightGradient(Op, "weight");
        var x = input.Value.ContiguousRaw();
        var y = target.Value.ContiguousRaw();
        var dx = NeedsGrad(0) ? Tensor.Uninitialized(x.ShapeSpan, x.DType) : null;
        var dt = NeedsGrad(1) ? Tensor.Uninitialized(x.ShapeSpan, x.DType) : null;
        if (x.DType == DType.Float32) Backward<float>(x, y, dy, dx, dt);
        else Backward<double>(x, y, dy, dx, dt);
        if (dt is not null) AddGrad(1, dt);
        if (dx is not null) AddGrad(0, dx);
    }

    private void Backward<T>(Tensor x, Tensor y, Tensor dy, Tensor? dx, Tensor? dt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> xs = x.Span<T>(), ys = y.Span<T>();
        ReadOnlySpan<T> w = weight is null ? default : weight.Span<T>();
        ReadOnlySpan<T> g = reduction == LossReduction.None ? dy.ContiguousRaw().Span<T>() : default;
        T scale = T.CreateTruncating(reduction == LossReduction.None ? 0 : LossOutput.Scale(dy, reduction, xs.Length));
        var dxs = dx is null ? default : dx.Span<T>();
        var dts = dt is null ? default : dt.Span<T>();
        T epsilon = T.CreateTruncating(1e-12);
        for (int i = 0; i < xs.Length; i++)
        {
            T gi = g.IsEmpty ? scale : g[i];
            if (!w.IsEmpty) gi *= w[i];
            T xi = xs[i];
            if (!dxs.IsEmpty) dxs[i] = gi * (xi - ys[i]) / T.Max((T.One - xi) * xi, epsilon);
            if (!dts.IsEmpty) dts[i] = gi * (T.Log(T.One - xi) - T.Log(xi));
        }
    }

    protected internal override void ReleaseSaved() => (input, target, weight) = (default, default, null);
}
