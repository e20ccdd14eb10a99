using System.Numerics;
using Nabla.Kernels.Norm;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Group normalization (PyTorch's group_norm) of x [N, C, *] with G groups: μ, the biased σ² and
/// rstd = 1/√(σ² + eps) over each sample's C/G channels × all positions, then y = (x − μ)·rstd·γ_c + β_c.
/// Backward: the layer-norm gradient per (sample, group) block, with γ constant per channel
/// (see <see cref="GroupNormKernel"/> and docs/derivations/layer-norm.md).</summary>
internal sealed class GroupNormOp : Node
{
    private SavedTensor x;                  // contiguous [N, C, *]
    private SavedTensor weight;             // [C], when given
    private Tensor? mean, rstd;             // [N·G]
    private readonly bool hasWeight;
    private readonly int weightSlot, biasSlot, n, c, s, groups;
    private readonly int[] xShape;

    private GroupNormOp(Tensor x, Tensor? weight, Tensor? bias, Tensor mean, Tensor rstd, int groups)
        : base(NormArgs.Inputs(x, weight, bias))
    {
        this.x = Save(x);
        if (weight is not null) this.weight = Save(weight);
        (this.mean, this.rstd, hasWeight, this.groups) = (mean, rstd, weight is not null, groups);
        (weightSlot, biasSlot) = NormArgs.Slots(weight, bias);
        (n, c, s, xShape) = (x.shape[0], x.shape[1], NormArgs.Product(x.shape, 2), x.shape);
    }

    public static Tensor Apply(Tensor x, int numGroups, Tensor? weight, Tensor? bias, double eps, string op = "GroupNorm")
    {
        NormArgs.CheckInput(op, x);
        if (x.Dim < 2)
            Throw.Shape(op, "[N, C, *]", ShapeUtil.Format(x.shape), $"{op}: input must have at least 2 dimensions [N, C, *]; got {ShapeUtil.Format(x.shape)}.");
        int n = x.shape[0], c = x.shape[1], s = NormArgs.Product(x.shape, 2);
        if (numGroups < 1 || c % numGroups != 0)
            Throw.Argument($"{op}: the {c} channels of input {ShapeUtil.Format(x.shape)} must be divisible by num_groups {numGroups}.");
        ReadOnlySpan<int> channels = [c];
        NormArgs.CheckVector(op, "weight", weight, x, channels);
        NormArgs.CheckVector(op, "bias", bias, x, channels);
        var xc = x.ContiguousRaw();
        var y = Tensor.Uninitialized(x.shape, x.DType);
        var mean = Tensor.Uninitialized([n * numGroups], x.DType);
        var rstd = Tensor.Uninitialized([n * numGroups], x.DType);
        if (x.DType == DType.Float32) Forward<float>(xc, weight, bias, y, mean, rstd, n, c, s, numGroups, eps);
        else Forward<double>(xc, weight, bias, y, mean, rstd, n, c, s, numGroups, eps);
        bool record = Graph.ShouldRecord(NormArgs.Inputs(x, weight, bias));
        return record ? Graph.Record(y, new GroupNormOp(xc, weight, bias, mean, rstd, numGroups)) : y;
    }

    private static void Forward<T>(Tensor x, Tensor? weight, Tensor? bias, Tensor y, Tensor mean, Tensor rstd, int n, int c, int s, int groups, double eps)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        GroupNormKernel.Forward(x.Span<T>(), weight is null ? default : weight.ContiguousRaw().Span<T>(), bias is null ? default : bias.ContiguousRaw().Span<T>(),
            y.Span<T>(), mean.Span<T>(), rstd.Span<T>(), n, c, s, groups, eps);

    protected internal override void Backward(Tensor dy)
    {
        var xv = x.Value;
        var wv = hasWeight ? weight.Value.ContiguousRaw() : null;
        var g = dy.ContiguousRaw();
        var dx = NeedsGrad(0) ? Tensor.Uninitialized(xShape, dy.DType) : null;
        var dw = weightSlot > 0 && NeedsGrad(weightSlot) ? Tensor.Uninitialized([c], dy.DType) : null;
        var db = biasSlot > 0 && NeedsGrad(biasSlot) ? Tensor.Uninitialized([c], dy.DType) : null;
        var (mv, rv) = (mean!, rstd!);   // set until ReleaseSaved, after which x.Value above has already thrown
        if (dy.DType == DType.Float32) RunBackward<float>(xv, g, mv, rv, wv, dx, dw, db);
        else RunBackward<double>(xv, g, mv, rv, wv, dx, dw, db);
        if (dx is not null) AddGrad(0, dx);
        if (dw is not null) AddGrad(weightSlot, dw);
        if (db is not null) AddGrad(biasSlot, db);
    }

    private void RunBackward<T>(Tensor xv, Tensor dy, Tensor mv, Tensor rv, Tensor? w, Tensor? dx, Tensor? dw, Tensor? db) where T : unmanaged, IFloatingPointIeee754<T> =>
        GroupNormKernel.Backward(xv.Span<T>(), dy.Span<T>(), mv.Span<T>(), rv.Span<T>(), w is null ? default : w.Span<T>(),
            dx is null ? default : dx.Span<T>(), dw is null ? default : dw.Span<T>(), db is null ? default : db.Span<T>(), n, c, s, groups);

    protected internal override void ReleaseSaved() => (x, weight, mean, rstd) = (default, default, null, null);
}
