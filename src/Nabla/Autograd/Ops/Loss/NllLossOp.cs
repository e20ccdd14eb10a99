using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Negative log-likelihood of log-probabilities x [C] / [N, C] / [N, C, d₁, …] at class-index targets t:
/// per row l = −w_t·x_t (0 where t = ignoreIndex).  dx_t = −w_t·g for each kept row, 0 elsewhere.</summary>
/// <remarks>The mean divides by Σ w_t over the kept rows (their count without weights); NaN when none is kept,
/// as <c>F.nll_loss</c>. The weight is a constant (PyTorch does not differentiate it either).</remarks>
internal sealed class NllLossOp : Node
{
    private const string Op = "NllLoss";
    private readonly ClassLayout layout;
    private readonly long[] classes;       // [rows] class indices
    private readonly Tensor? weight;       // [C] copy of the class weights
    private readonly long ignoreIndex;
    private readonly LossReduction reduction;
    private readonly double normalizer;
    private readonly DType dtype;

    private NllLossOp(Tensor input, Tensor? userWeight, ClassLayout layout, long[] classes, Tensor? weight, long ignoreIndex, LossReduction reduction, double normalizer)
        : base(userWeight is null ? [input] : [input, userWeight])
    {
        (this.layout, this.classes, this.weight, this.ignoreIndex, this.reduction, this.normalizer) = (layout, classes, weight, ignoreIndex, reduction, normalizer);
        dtype = input.DType;
    }

    public static Tensor Apply(Tensor input, Tensor target, Tensor? weight, long ignoreIndex, LossReduction reduction)
    {
        var layout = ClassLayout.Of(Op, input);
        var w = layout.ReadWeight(Op, weight, input);
        var classes = layout.ReadTargets(Op, target, ignoreIndex, "");
        var x = input.ContiguousRaw();
        var (loss, normalizer) = input.DType == DType.Float32
            ? Forward<float>(x, layout, classes, w, ignoreIndex, reduction)
            : Forward<double>(x, layout, classes, w, ignoreIndex, reduction);
        bool record = weight is null ? Graph.ShouldRecord(input) : Graph.ShouldRecord(input, weight);
        return record ? Graph.Record(loss, new NllLossOp(input, weight, layout, classes, w, ignoreIndex, reduction, normalizer)) : loss;
    }

    /// <summary>Storage position of class <paramref name="t"/> of row r = n·inner + i in the contiguous input [N, C, inner].</summary>
    private static int Index(ClassLayout layout, int r, long t) => ((r / layout.Inner) * layout.Classes + (int)t) * layout.Inner + r % layout.Inner;

    private static (Tensor Loss, double Normalizer) Forward<T>(Tensor x, ClassLayout layout, long[] classes, Tensor? weight,
        long ignoreIndex, LossReduction reduction) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> xs = x.Span<T>();
        ReadOnlySpan<T> w = weight is null ? default : weight.Span<T>();
        var perRow = reduction == LossReduction.None ? Tensor.Zeros(layout.LossShape, x.DType) : null;
        var rowLoss = perRow is null ? default : perRow.Span<T>();
        double weightSum = 0, total = 0;
        for (int r = 0; r < classes.Length; r++)
        {
            long t = classes[r];
            if (t == ignoreIndex) continue;
            double wt = w.IsEmpty ? 1 : double.CreateTruncating(w[(int)t]);
            weightSum += wt;
            double l = -wt * double.CreateTruncating(xs[Index(layout, r, t)]);
            total += l;
            if (perRow is not null) rowLoss[r] = T.CreateTruncating(l);
        }
        return (perRow ?? LossOutput.Reduced(total, weightSum, reduction, x.DType), weightSum);
    }

    protected internal override void Backward(Tensor dy)
    {
        if (weight is not null && NeedsGrad(1)) LossCheck.NoWeightGradient(Op, "weight");
        if (!NeedsGrad(0)) return;
        var dx = Tensor.Zeros(layout.InputShape, dtype);
        if (dtype == DType.Float32) Backward<float>(dy, dx);
        else Backward<double>(dy, dx);
        AddGrad(0, dx);
    }

    private void Backward<T>(Tensor dy, Tensor dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dxs = dx.Span<T>();
        ReadOnlySpan<T> w = weight is null ? default : weight.Span<T>();
        ReadOnlySpan<T> g = reduction == LossReduction.None ? dy.ContiguousRaw().Span<T>() : default;
        double scale = reduction == LossReduction.None ? 0 : LossOutput.Scale(dy, reduction, normalizer);
        for (int r = 0; r < classes.Length; r++)
        {
            long t = classes[r];
            if (t == ignoreIndex) continue;
            double wt = w.IsEmpty ? 1 : double.CreateTruncating(w[(int)t]);
            double gr = g.IsEmpty ? scale : double.CreateTruncating(g[r]);
            dxs[Index(layout, r, t)] = T.CreateTruncating(-wt * gr);
        }
    }
}
