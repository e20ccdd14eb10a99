using System.Numerics;
using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>A loss that depends on the difference alone: lᵢ = f(dᵢ), d = x − y, with a parameter (β, δ) when it has one.</summary>
internal interface IPointwiseLoss
{
    /// <summary>The op's name in messages.</summary>
    static abstract string Name { get; }

    /// <summary>f(d).</summary>
    static abstract T Value<T>(T d, T parameter) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>f′(d).</summary>
    static abstract T Derivative<T>(T d, T parameter) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>L = reduce f(x − y) over the broadcast shape of x and y (as <c>F.mse_loss</c> and <c>F.l1_loss</c>
/// broadcast).  With gᵢ = ∂L/∂lᵢ:  dx = Σ_bcast g·f′(d),  dy = −Σ_bcast g·f′(d).</summary>
internal sealed class PointwiseLossOp<TLoss> : Node where TLoss : IPointwiseLoss
{
    private Tensor? difference;        // d = x − y, broadcast shape, contiguous: f′ needs only d
    private readonly int[] inputShape, targetShape;
    private readonly LossReduction reduction;
    private readonly double parameter;

    private PointwiseLossOp(Tensor input, Tensor target, Tensor difference, LossReduction reduction, double parameter) : base(input, target)
    {
        (this.difference, inputShape, targetShape) = (difference, input.shape, target.shape);
        (this.reduction, this.parameter) = (reduction, parameter);
    }

    public override string Name => TLoss.Name;

    public static Tensor Apply(Tensor input, Tensor target, LossReduction reduction, double parameter = 0)
    {
        LossCheck.FloatInput(TLoss.Name, input);
        LossCheck.SameDType(TLoss.Name, "target", target, input);
        LossCheck.BroadcastShape(TLoss.Name, input, target);
        var d = BinaryDriver.Run<SubKernel>(input, target);
        var loss = input.DType == DType.Float32 ? Forward<float>(d, reduction, parameter) : Forward<double>(d, reduction, parameter);
        return Graph.ShouldRecord(input, target) ? Graph.Record(loss, new PointwiseLossOp<TLoss>(input, target, d, reduction, parameter)) : loss;
    }

    private static Tensor Forward<T>(Tensor d, LossReduction reduction, double parameter) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> ds = d.Span<T>();
        T p = T.CreateTruncating(parameter);
        if (reduction == LossReduction.None)
        {
            var loss = Tensor.Uninitialized(d.ShapeSpan, d.DType);
            var ls = loss.Span<T>();
            for (int i = 0; i < ds.Length; i++) ls[i] = TLoss.Value(ds[i], p);
            return loss;
        }
        double total = 0;
        for (int i = 0; i < ds.Length; i++) total += double.CreateTruncating(TLoss.Value(ds[i], p));
        return LossOutput.Reduced(total, ds.Length, reduction, d.DType);
    }

    protected internal override void Backward(Tensor dy)
    {
        var d = difference ?? Throw.InvalidOperation<Tensor>($"{Name}: the graph was already backpropagated (pass retainGraph: true to keep it).");
        var grad = d.DType == DType.Float32 ? Grad<float>(d, dy) : Grad<double>(d, dy);   // g·f′(d), broadcast shape
        // The target's share first: the engine may take ownership of the tensor handed to AddGrad.
        if (NeedsGrad(1)) AddGrad(1, grad.SumToRaw(targetShape).MulScalarRaw(-1));
        if (NeedsGrad(0)) AddGrad(0, grad.SumToRaw(inputShape));
    }

    private Tensor Grad<T>(Tensor d, Tensor dy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> ds = d.Span<T>();
        var grad = Tensor.Uninitialized(d.ShapeSpan, d.DType);
        var gs = grad.Span<T>();
        T p = T.CreateTruncating(parameter);
        if (reduction == LossReduction.None)
        {
            ReadOnlySpan<T> g = dy.ContiguousRaw().Span<T>();
            for (int i = 0; i < ds.Length; i++) gs[i] = g[i] * TLoss.Derivative(ds[i], p);
        }
        else
        {
            T scale = T.CreateTruncating(LossOutput.Scale(dy, reduction, ds.Length));
            for (int i = 0; i < ds.Length; i++) gs[i] = scale * TLoss.Derivative(ds[i], p);
        }
        return grad;
    }

    protected internal override void ReleaseSaved() => difference = null;
}
