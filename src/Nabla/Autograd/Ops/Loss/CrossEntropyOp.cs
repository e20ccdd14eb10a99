using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels.Softmax;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Cross-entropy of logits x [C] / [N, C] / [N, C, d₁, …] against a target distribution q, fused with a
/// stable log-softmax over the class dim: per row, l = −Σ_c q_c·log softmax(x)_c, and
/// dx_j = g·(softmax(x)_j·Σ_c q_c − q_j) (derivation: docs/derivations/cross-entropy.md).</summary>
/// <remarks>
/// Class-index targets t with label smoothing ε and class weights w give q_c = (1−ε)·w_t·[c = t] + (ε/C)·w_c,
/// rows whose target is ignoreIndex give l = 0, and the mean divides by Σ w_t over the kept rows.
/// Probability targets p (the input's shape) give q_c = w_c·((1−ε)·p_c + ε/C), the mean divides by the number
/// of rows, and the target gets ∂l/∂p_c = −(1−ε)·w_c·log softmax(x)_c. This is <c>F.cross_entropy</c> exactly;
/// the weight is a constant (PyTorch does not differentiate it either).
/// </remarks>
internal sealed class CrossEntropyOp : Node
{
    private const string Op = "CrossEntropy";
    private readonly ClassLayout layout;
    private SavedTensor logProbs;            // [rows, C] log-softmax of the input, classes last
    private readonly DType dtype;
    private readonly long[]? classes;        // [rows] class indices, for index targets
    private SavedTensor probabilities;       // the target, for probability targets (the input's shape)
    private readonly Tensor? weight;         // [C] copy of the class weights
    private readonly double smoothing, normalizer;
    private readonly long ignoreIndex;
    private readonly LossReduction reduction;

    private CrossEntropyOp(Tensor input, Tensor target, Tensor? userWeight, ClassLayout layout, Tensor logProbs, long[]? classes,
        Tensor? weight, double smoothing, long ignoreIndex, LossReduction reduction, double normalizer)
        : base(Operands(input, target, userWeight))
    {
        (this.layout, this.classes, this.weight, dtype) = (layout, classes, weight, input.DType);
        (this.smoothing, this.ignoreIndex, this.reduction, this.normalizer) = (smoothing, ignoreIndex, reduction, normalizer);
        this.logProbs = Save(logProbs);
        if (classes is null) probabilities = Save(target);
    }

    private static Tensor[] Operands(Tensor input, Tensor target, Tensor? weight) => weight is null ? [input, target] : [input, target, weight];

    public static Tensor Apply(Tensor input, Tensor target, Tensor? weight, long ignoreIndex, LossReduction reduction, double labelSmoothing)
    {
        var layout = ClassLayout.Of(Op, input);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            Throw.OutOfRange($"{Op}: labelSmoothing must be between 0.0 and 1.0; got {labelSmoothing}.", nameof(labelSmoothing));
        var w = layout.ReadWeight(Op, weight, input);
        long[]? classes = null;
        if (ShapeUtil.SameShape(target.ShapeSpan, input.ShapeSpan))
        {
            // Same shape as the input: class probabilities, as PyTorch decides.
            if (!target.DType.IsFloatingPoint())
                Throw.Argument($"{Op}: target {ShapeUtil.Format(target.ShapeSpan)} has the input's shape, so it holds class probabilities and must be floating point; got {target.DType.TorchName()}. Class indices have shape {ShapeUtil.Format(layout.LossShape)}.");
            LossCheck.SameDType(Op, "probability target", target, input);
            if (ignoreIndex >= 0)
                Throw.Argument($"{Op}: ignoreIndex {ignoreIndex} is not supported with probability targets; leave it at -100.");
        }
        else
        {
            classes = layout.ReadTargets(Op, target, ignoreIndex, $" or {ShapeUtil.Format(input.ShapeSpan)} (probabilities)");
        }

        var logProbs = Tensor.Uninitialized([layout.Rows, layout.Classes], input.DType);
        var x = layout.ToRows(input);
        var p = classes is null ? layout.ToRows(target) : null;
        var (loss, normalizer) = input.DType == DType.Float32
            ? Forward<float>(x, p, layout, logProbs, classes, w, labelSmoothing, ignoreIndex, reduction)
            : Forward<double>(x, p, layout, logProbs, classes, w, labelSmoothing, ignoreIndex, reduction);
        if (!Graph.ShouldRecord(Operands(input, target, weight))) return loss;
        return Graph.Record(loss, new CrossEntropyOp(input, target, weight, layout, logProbs, classes, w, labelSmoothing, ignoreIndex, reduction, normalizer));
    }

    private static (Tensor Loss, double Normalizer) Forward<T>(Tensor x, Tensor? probs, ClassLayout layout, Tensor logProbs,
        long[]? classes, Tensor? weight, double eps, long ignoreIndex, LossReduction reduction) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = layout.Rows, c = layout.Classes;
        var lp = logProbs.Span<T>();
        if (lp.Length > 0) SoftmaxKernel.Forward<T>(x.Span<T>(), lp, c, log: true);
        ReadOnlySpan<T> w = weight is null ? default : weight.Span<T>();
        // Per-row losses go straight into the result for reduction none; otherwise only their sum is kept.
        var perRow = reduction == LossReduction.None ? Tensor.Zeros(layout.LossShape, x.DType) : null;
        var rowLoss = perRow is null ? default : perRow.Span<T>();
        double total = 0, weightSum = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = lp.Slice(r * c, c);
            double l;
            if (classes is not null)
            {
                long t = classes[r];
                if (t == ignoreIndex) continue;
                double wt = w.IsEmpty ? 1 : double.CreateTruncating(w[(int)t]);
                weightSum += wt;
                // l = −(1−ε)·w_t·log p_t − (ε/C)·Σ_c w_c·log p_c
                l = -(1 - eps) * wt * double.CreateTruncating(row[(int)t]);
                if (eps > 0) l -= eps / c * double.CreateTruncating(w.IsEmpty ? TensorPrimitives.Sum<T>(row) : TensorPrimitives.Dot(w, row));
            }
            else
            {
                // l = −Σ_c w_c·((1−ε)·p_c + ε/C)·log p_c
                var pr = probs!.Span<T>().Slice(r * c, c);   // probs is set whenever classes is null
                l = 0;
                for (int j = 0; j < c; j++) l -= Q(pr, w, j, eps, c) * double.CreateTruncating(row[j]);
            }
            total += l;
            if (perRow is not null) rowLoss[r] = T.CreateTruncating(l);
        }
        double normalizer = classes is null ? rows : weightSum;
        return (perRow ?? LossOutput.Reduced(total, normalizer, reduction, x.DType), normalizer);
    }

    protected internal override void Backward(Tensor dy)
    {
        if (Inputs.Length > 2 && NeedsGrad(2)) LossCheck.NoWeightGradient(Op, "weight");
        var target = classes is null ? layout.ToRows(probabilities.Value) : null;
        int[] rowsShape = [layout.Rows, layout.Classes];
        var dx = NeedsGrad(0) ? Tensor.Uninitialized(rowsShape, dtype) : null;
        var dTarget = target is not null && NeedsGrad(1) ? Tensor.Uninitialized(rowsShape, dtype) : null;
        if (dx is null && dTarget is null) return;
        if (dtype == DType.Float32) Backward<float>(dy, logProbs.Value, target, dx, dTarget);
        else Backward<double>(dy, logProbs.Value, target, dx, dTarget);
        if (dTarget is not null) AddGrad(1, layout.FromRows(dTarget));
        if (dx is not null) AddGrad(0, layout.FromRows(dx));
    }

    private void Backward<T>(Tensor dy, Tensor logP, Tensor? probs, Tensor? dxRows, Tensor? dTargetRows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = layout.Rows, c = layout.Classes;
        double eps = smoothing;
        ReadOnlySpan<T> lp = logP.Span<T>();
        ReadOnlySpan<T> w = weight is null ? default : weight.Span<T>();
        ReadOnlySpan<T> g = reduction == LossReduction.None ? dy.ContiguousRaw().Span<T>() : default;
        double scale = reduction == LossReduction.None ? 0 : LossOutput.Scale(dy, reduction, normalizer);
        double weightTotal = w.IsEmpty ? c : double.CreateTruncating(TensorPrimitives.Sum(w));
        var dx = dxRows is null ? default : dxRows.Span<T>();
        var dp = dTargetRows is null ? default : dTargetRows.Span<T>();
        for (int r = 0; r < rows; r++)
        {
            double gr = g.IsEmpty ? scale : double.CreateTruncating(g[r]);
            var row = lp.Slice(r * c, c);
            if (classes is not null)
            {
                var dxr = dx.Slice(r * c, c);
                long t = classes[r];
                if (t == ignoreIndex) { dxr.Clear(); continue; }
                double wt = w.IsEmpty ? 1 : double.CreateTruncating(w[(int)t]);
                // dx_j = g·(s_j·Q − q_j), Q = (1−ε)·w_t + (ε/C)·Σw, q_j = (1−ε)·w_t·[j = t] + (ε/C)·w_j
                double sumQ = (1 - eps) * wt + eps / c * weightTotal;
                TensorPrimitives.Exp(row, dxr);
                TensorPrimitives.Multiply(dxr, T.CreateTruncating(gr * sumQ), dxr);
                if (eps > 0)
                {
                    if (w.IsEmpty) TensorPrimitives.Subtract(dxr, T.CreateTruncating(gr * eps / c), dxr);
                    else TensorPrimitives.MultiplyAdd(w, T.CreateTruncating(-gr * eps / c), dxr, dxr);
                }
                dxr[(int)t] -= T.CreateTruncating(gr * (1 - eps) * wt);
            }
            else
            {
                // q_j = w_j·((1−ε)·p_j + ε/C):  dx_j = g·(s_j·Σq − q_j),  dp_j = −g·(1−ε)·w_j·log s_j
                var pr = probs!.Span<T>().Slice(r * c, c);   // set whenever classes is null
                double sumQ = 0;
                for (int j = 0; j < c; j++) sumQ += Q(pr, w, j, eps, c);
                if (!dx.IsEmpty)
                {
                    var dxr = dx.Slice(r * c, c);
                    for (int j = 0; j < c; j++)
                        dxr[j] = T.CreateTruncating(gr * (Math.Exp(double.CreateTruncating(row[j])) * sumQ - Q(pr, w, j, eps, c)));
                }
                if (!dp.IsEmpty)
                {
                    var dpr = dp.Slice(r * c, c);
                    for (int j = 0; j < c; j++)
                    {
                        double wj = w.IsEmpty ? 1 : double.CreateTruncating(w[j]);
                        dpr[j] = T.CreateTruncating(-gr * (1 - eps) * wj * double.CreateTruncating(row[j]));
                    }
                }
            }
        }
    }

    protected internal override void ReleaseSaved() => (logProbs, probabilities) = (default, default);

    private static double Q<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> w, int j, double eps, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double q = (1 - eps) * double.CreateTruncating(p[j]) + eps / c;
        return w.IsEmpty ? q : q * double.CreateTruncating(w[j]);
    }
}
