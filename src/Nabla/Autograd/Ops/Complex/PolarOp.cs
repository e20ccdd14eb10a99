using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>z = r·e^{iθ} (torch.polar), broadcasting.  dr = Re(dz·e^{−iθ}) = Re dz·cos θ + Im dz·sin θ,
/// dθ = Re(dz·conj(i·z)) = r·(Im dz·cos θ − Re dz·sin θ).</summary>
internal sealed class PolarOp : Node
{
    private readonly int[] rShape, thetaShape;
    private readonly DType rType;
    private SavedTensor r, theta;

    private PolarOp(Tensor r, Tensor theta) : base(r, theta)
    {
        rShape = r.shape;
        thetaShape = theta.shape;
        rType = r.DType;
        this.r = Save(r);
        this.theta = Save(theta);
    }

    public static Tensor Apply(Tensor r, Tensor theta)
    {
        const string op = "Polar";
        if (!r.DType.IsFloatingPoint()) Throw.DType(op, r.DType, "float32 or float64");
        if (r.DType != theta.DType)
            Throw.Argument($"{op}: magnitude {r.DType.TorchName()} and angle {theta.DType.TorchName()} must have one dtype.");
        var shape = ShapeUtil.SameShape(r.shape, theta.shape) ? r.shape : ShapeUtil.Broadcast(op, r.shape, theta.shape);
        var (re, im) = Parts(r.ExpandRaw(shape).ToRaw(DType.Float64), theta.ExpandRaw(shape).ToRaw(DType.Float64));
        var z = ComplexDriver.FromParts(re, im);
        return Graph.ShouldRecord(r, theta) ? Graph.Record(z, new PolarOp(r, theta)) : z;
    }

    // (r·cos θ, r·sin θ) in double, from contiguous float64 operands.
    private static (Tensor Re, Tensor Im) Parts(Tensor r, Tensor theta)
    {
        var rs = r.Span<double>();
        var ts = theta.Span<double>();
        var re = Tensor.Uninitialized(r.ShapeSpan, DType.Float64);
        var im = Tensor.Uninitialized(r.ShapeSpan, DType.Float64);
        var a = re.Span<double>();
        var b = im.Span<double>();
        for (int i = 0; i < a.Length; i++) { a[i] = rs[i] * Math.Cos(ts[i]); b[i] = rs[i] * Math.Sin(ts[i]); }
        return (re, im);
    }

    protected internal override void Backward(Tensor dz)
    {
        var shape = dz.shape;
        var rv = r.Value.ExpandRaw(shape).ToRaw(DType.Float64).Span<double>();
        var tv = theta.Value.ExpandRaw(shape).ToRaw(DType.Float64).Span<double>();
        var g = dz.ContiguousRaw().Span<Complex64>();
        var dr = Tensor.Uninitialized(shape, DType.Float64);
        var dt = Tensor.Uninitialized(shape, DType.Float64);
        var a = dr.Span<double>();
        var b = dt.Span<double>();
        for (int i = 0; i < a.Length; i++)
        {
            double c = Math.Cos(tv[i]), s = Math.Sin(tv[i]);
            a[i] = g[i].Real * c + g[i].Imaginary * s;
            b[i] = rv[i] * (g[i].Imaginary * c - g[i].Real * s);
        }
        if (NeedsGrad(0)) AddGrad(0, dr.SumToRaw(rShape).ToRaw(rType));
        if (NeedsGrad(1)) AddGrad(1, dt.SumToRaw(thetaShape).ToRaw(rType));
    }

    protected internal override void ReleaseSaved()
    {
        r = default;
        theta = default;
    }
}
