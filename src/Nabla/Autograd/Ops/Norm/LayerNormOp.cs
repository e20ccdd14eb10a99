using System.Numerics;
using Nabla.Kernels.Norm;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Layer normalization (PyTorch's layer_norm) over the trailing dims D = normalized_shape, M = ∏D:
/// y = (x − μ)·rstd·γ + β per row of M values, with μ, the biased σ² and rstd = 1/√(σ² + eps) per row.
/// Backward (docs/derivations/layer-norm.md), g = dy·γ: dx = rstd·(g − mean(g) − x̂·mean(g·x̂)),
/// dγ = Σ_rows dy·x̂, dβ = Σ_rows dy.</summary>
internal sealed class LayerNormOp : Node
{
    private SavedTensor x;                  // contiguous [..., *D]
    private SavedTensor weight;             // D, when given
    private Tensor? mean, rstd;             // [rows]
    private readonly bool hasWeight;
    private readonly int weightSlot, biasSlot, rows, m;
    private readonly int[] xShape, normalizedShape;

    private LayerNormOp(Tensor x, Tensor? weight, Tensor? bias, Tensor mean, Tensor rstd, int[] normalizedShape, int m)
        : base(NormArgs.Inputs(x, weight, bias))
    {
        this.x = Save(x);
        if (weight is not null) this.weight = Save(weight);
        (this.mean, this.rstd, hasWeight, this.normalizedShape, this.m) = (mean, rstd, weight is not null, normalizedShape, m);
        (weightSlot, biasSlot) = NormArgs.Slots(weight, bias);
        (rows, xShape) = (m == 0 ? 0 : x.NumEl / m, x.shape);
    }

    public static Tensor Apply(Tensor x, int[] normalizedShape, Tensor? weight, Tensor? bias, double eps, string op = "LayerNorm")
    {
        NormArgs.CheckInput(op, x);
        int d = normalizedShape.Length;
        if (d == 0) Throw.Argument($"{op}: normalized_shape must not be empty.");
        if (x.Dim < d || !ShapeUtil.SameShape(x.shape.AsSpan(x.Dim - d), normalizedShape))
            Throw.Shape(op, $"[*, {string.Join(", ", normalizedShape)}]", ShapeUtil.Format(x.shape),
                $"{op}: normalized_shape {ShapeUtil.Format(normalizedShape)} expects an input of shape [*, {string.Join(", ", normalizedShape)}]; got {ShapeUtil.Format(x.shape)}.");
        NormArgs.CheckVector(op, "weight", weight, x, normalizedShape);
        NormArgs.CheckVector(op, "bias", bias, x, normalizedShape);
        int m = NormArgs.Product(normalizedShape, 0), rows = m == 0 ? 0 : x.NumEl / m;
        var xc = x.ContiguousRaw();
        var y = Tensor.Uninitialized(x.shape, x.DType);
        var mean = Tensor.Uninitialized([rows], x.DType);
        var rstd = Tensor.Uninitialized([rows], x.DType);
        if (x.DType == DType.Float32) Forward<float>(xc, weight, bias, y, mean, rstd, rows, m, eps);
        else Forward<double>(xc, weight, bias, y, mean, rstd, rows, m, eps);
        bool record = Graph.ShouldRecord(NormArgs.Inputs(x, weight, bias));
        return record ? Graph.Record(y, new LayerNormOp(xc, weight, bias, mean, rstd, (int[])normalizedShape.Clone(), m)) : y;
    }

    private static void Forward<T>(Tensor x, Tensor? weight, Tensor? bias, Tensor y, Tensor mean, Tensor rstd, int rows, int m, double eps)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        LayerNormKernel.Forward(x.Span<T>(), weight is null ? default : weight.ContiguousRaw().Span<T>(), bias is null ? default : bias.ContiguousRaw().Span<T>(),
            y.Span<T>(), mean.Span<T>(), rstd.Span<T>(), rows, m, eps);

    protected internal override void Backward(Tensor dy)
    {
        var xv = x.Value;
        var wv = hasWeight ? weight.Value.ContiguousRaw() : null;
        var g = dy.ContiguousRaw();
        var dx = NeedsGrad(0) ? Tensor.Uninitialized(xShape, dy.DType) : null;
        var dw = weightSlot > 0 && NeedsGrad(weightSlot) ? Tensor.Uninitialized(normalizedShape, dy.DType) : null;
        var db = biasSlot > 0 && NeedsGrad(biasSlot) ? Tensor.Uninitialized(normalizedShape, dy.DType) : null;
        var (mv, rv) = (mean!, rstd!);   // set until ReleaseSaved, after which x.Value above has already thrown
        if (dy.DType == DType.Float32) RunBackward<float>(xv, g, mv, rv, wv, dx, dw, db);
        else RunBackward<double>(xv, g, mv, rv, wv, dx, dw, db);
        if (dx is not null) AddGrad(0, dx);
        if (dw is not null) AddGrad(weightSlot, dw);
        if (db is not null) AddGrad(biasSlot, db);
    }

    private void RunBackward<T>(Tensor xv, Tensor dy, Tensor mv, Tensor rv, Tensor? w, Tensor? dx, Tensor? dw, Tensor? db) where T : unmanaged, IFloatingPointIeee754<T> =>
        LayerNormKernel.Backward(xv.Span<T>(), dy.Span<T>(), mv.Span<T>(), rv.Span<T>(), w is null ? default : w.Span<T>(),
            dx is null ? default : dx.Span<T>(), dw is null ? default : dw.Span<T>(), db is null ? default : db.Span<T>(), rows, m);

    protected internal override void ReleaseSaved() => (x, weight, mean, rstd) = (default, default, null, null);
}
