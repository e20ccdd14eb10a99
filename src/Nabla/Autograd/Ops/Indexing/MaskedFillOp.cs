using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x.masked_fill(mask, value): y = value where mask, else x; x and mask broadcast together.
/// dx = Σ_bcast (dy with zeros where mask): masked elements no longer depend on x.</summary>
internal sealed class MaskedFillOp : Node
{
    private SavedTensor mask;   // bool, broadcastable to y
    private readonly int[] xShape;

    private MaskedFillOp(Tensor x, Tensor mask) : base(x)
    {
        this.mask = Save(mask);
        xShape = x.shape;
    }

    public static Tensor Apply(Tensor x, Tensor mask, double value)
    {
        const string op = "MaskedFill";
        if (mask.DType != DType.Bool)
            Throw.Argument($"{op}: mask has dtype {mask.DType.TorchName()}; expected bool (build one with a comparison such as x.Gt(0)).");
        var yShape = ShapeUtil.Broadcast(op, x.shape, mask.shape);
        var y = x.ExpandRaw(yShape).CloneRaw();
        Fill(y, mask, value);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new MaskedFillOp(x, mask)) : y;
    }

    /// <summary>y[i] = value where mask[i] (mask broadcast to y, y contiguous).</summary>
    private static void Fill(Tensor y, Tensor mask, double value)
    {
        var m = mask.ExpandRaw(y.shape).ContiguousRaw().Span<bool>();
        switch (y.DType)
        {
            case DType.Float32: Fill(y.Span<float>(), m, (float)value); break;
            case DType.Float64: Fill(y.Span<double>(), m, value); break;
            case DType.Int64: Fill(y.Span<long>(), m, (long)value); break;
            case DType.Int32: Fill(y.Span<int>(), m, (int)value); break;
            case DType.Complex64: Fill(y.Span<Complex64>(), m, new Complex64((float)value, 0)); break;
            default: Fill(y.Span<bool>(), m, value != 0); break;
        }
    }

    private static void Fill<T>(Span<T> y, ReadOnlySpan<bool> mask, T value) where T : unmanaged
    {
        mask = mask[..y.Length];
        for (int i = 0; i < y.Length; i++) y[i] = BitSelect.Select(mask[i], value, y[i]);
    }

    protected internal override void Backward(Tensor dy)
    {
        var dx = dy.CloneRaw();
        Fill(dx, mask.Value, 0);
        AddGrad(0, dx.SumToRaw(xShape));
    }

    protected internal override void ReleaseSaved() => mask = default;
}
