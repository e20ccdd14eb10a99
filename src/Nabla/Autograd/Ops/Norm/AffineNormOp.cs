using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>The shared half of batch, layer and group normalization, y = (x − μ)·rstd·γ + β: it saves x, γ and the
/// statistics (μ, rstd) the forward computed, and its backward allocates dx, dγ, dβ for the inputs that need them and
/// hands everything to the subclass's fused kernel.</summary>
internal abstract class AffineNormOp : Node
{
    private SavedTensor x;                  // contiguous input
    private SavedTensor weight;             // γ, when given
    private Tensor? mean, rstd;             // the statistics y was computed with (private to this node)
    private readonly bool hasWeight;
    private readonly int weightSlot, biasSlot;
    private readonly int[] xShape;
    private readonly int[]? weightShape, biasShape;

    protected AffineNormOp(Tensor x, Tensor? weight, Tensor? bias, Tensor mean, Tensor rstd) : base(NormArgs.Inputs(x, weight, bias))
    {
        this.x = Save(x);
        if (weight is not null) this.weight = Save(weight);
        (this.mean, this.rstd, hasWeight, xShape) = (mean, rstd, weight is not null, x.shape);
        (weightShape, biasShape) = (weight?.shape, bias?.shape);
        (weightSlot, biasSlot) = NormArgs.Slots(weight, bias);
    }

    /// <summary>The fused backward kernel: dx, dγ, dβ (each empty when not needed) from x, dy, μ, rstd and γ (empty if none).</summary>
    protected abstract void KernelBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd,
        ReadOnlySpan<T> weight, Span<T> dx, Span<T> dWeight, Span<T> dBias) where T : unmanaged, IFloatingPointIeee754<T>;

    protected internal sealed override void Backward(Tensor dy)
    {
        var xv = x.Value;
        var wv = hasWeight ? weight.Value.ContiguousRaw() : null;
        var g = dy.ContiguousRaw();
        var dx = NeedsGrad(0) ? Tensor.Uninitialized(xShape, dy.DType) : null;
        var dw = weightSlot > 0 && NeedsGrad(weightSlot) ? Tensor.Uninitialized(weightShape!, dy.DType) : null;   // a slot exists only with a weight
        var db = biasSlot > 0 && NeedsGrad(biasSlot) ? Tensor.Uninitialized(biasShape!, dy.DType) : null;
        var (m, r) = (mean!, rstd!);   // set until ReleaseSaved, after which x.Value above has already thrown
        if (dy.DType == DType.Float32) Run<float>(xv, g, m, r, wv, dx, dw, db);
        else Run<double>(xv, g, m, r, wv, dx, dw, db);
        if (dx is not null) AddGrad(0, dx);
        if (dw is not null) AddGrad(weightSlot, dw);
        if (db is not null) AddGrad(biasSlot, db);
    }

    private void Run<T>(Tensor xv, Tensor dy, Tensor m, Tensor r, Tensor? w, Tensor? dx, Tensor? dw, Tensor? db) where T : unmanaged, IFloatingPointIeee754<T> =>
        KernelBackward<T>(xv.Span<T>(), dy.Span<T>(), m.Span<T>(), r.Span<T>(), w is null ? default : w.Span<T>(),
            dx is null ? default : dx.Span<T>(), dw is null ? default : dw.Span<T>(), db is null ? default : db.Span<T>());

    protected internal override void ReleaseSaved() => (x, weight, mean, rstd) = (default, default, null, null);
}
