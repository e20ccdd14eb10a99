using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>out = where(condition, x, y): x where condition, else y; all three broadcast together.
/// dx = Σ_bcast where(condition, dout, 0),  dy = Σ_bcast where(condition, 0, dout).</summary>
/// <remarks>The three operands are read through broadcast strides (no expanded copies), with dimensions that are
/// contiguous in all of them merged, so the common case is one flat loop.</remarks>
internal sealed class WhereOp : Node
{
    private SavedTensor condition;   // bool, broadcastable to out
    private readonly int[] xShape, yShape;

    private WhereOp(Tensor condition, Tensor x, Tensor y) : base(x, y)
    {
        this.condition = Save(condition);
        (xShape, yShape) = (x.shape, y.shape);
    }

    public static Tensor Apply(Tensor condition, Tensor x, Tensor y)
    {
        const string op = "Where";
        if (condition.DType != DType.Bool)
            Throw.Argument($"{op}: condition has dtype {condition.DType.TorchName()}; expected bool.");
        if (x.DType != y.DType)
            Throw.Argument($"{op}: x has dtype {x.DType.TorchName()} but y has {y.DType.TorchName()}; they must have the same dtype.");
        var outShape = BroadcastThree(op, condition.shape, x.shape, y.shape);
        var result = Select(condition, x, y, outShape);
        return Graph.ShouldRecord(x, y) ? Graph.Record(result, new WhereOp(condition, x, y)) : result;
    }

    protected internal override void Backward(Tensor dout)
    {
        var c = condition.Value;
        var zero = Tensor.Zeros([], dout.DType);
        if (NeedsGrad(0)) AddGrad(0, Select(c, dout, zero, dout.shape).SumToRaw(xShape));
        if (NeedsGrad(1)) AddGrad(1, Select(c, zero, dout, dout.shape).SumToRaw(yShape));
    }

    protected internal override void ReleaseSaved() => condition = default;

    private static int[] BroadcastThree(string op, int[] c, int[] x, int[] y)
    {
        int rank = Math.Max(c.Length, Math.Max(x.Length, y.Length));
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int dc = SizeAt(c, i, rank), dx = SizeAt(x, i, rank), dy = SizeAt(y, i, rank);
            int size = Math.Max(dc, Math.Max(dx, dy));
            if (dc == 0 || dx == 0 || dy == 0) size = 0;
            if ((dc != size && dc != 1) || (dx != size && dx != 1) || (dy != size && dy != 1))
                Throw.Shape(op, "broadcastable shapes", $"{ShapeUtil.Format(c)}, {ShapeUtil.Format(x)}, {ShapeUtil.Format(y)}",
                    $"{op}: condition {ShapeUtil.Format(c)}, x {ShapeUtil.Format(x)} and y {ShapeUtil.Format(y)} cannot be broadcast together " +
                    $"(dimension {i}: {dc}, {dx}, {dy}; sizes must be equal or 1).");
            result[i] = size;
        }
        return result;
    }

    private static int SizeAt(int[] shape, int i, int rank) => i < rank - shape.Length ? 1 : shape[i - (rank - shape.Length)];

    /// <summary>A new contiguous tensor of <paramref name="outShape"/>: x where condition, else y (no autograd).</summary>
    private static Tensor Select(Tensor condition, Tensor x, Tensor y, int[] outShape)
    {
        var result = Tensor.Uninitialized(outShape, x.DType);
        var c = condition.ExpandRaw(outShape);
        var a = x.ExpandRaw(outShape);
        var b = y.ExpandRaw(outShape);
        switch (x.DType)
        {
            case DType.Float32: Select<float>(c, a, b, result.Span<float>()); break;
            case DType.Float64: Select<double>(c, a, b, result.Span<double>()); break;
            case DType.Int64: Select<long>(c, a, b, result.Span<long>()); break;
            case DType.Int32: Select<int>(c, a, b, result.Span<int>()); break;
            case DType.Complex64: Select<Complex64>(c, a, b, result.Span<Complex64>()); break;
            default: Select<bool>(c, a, b, result.Span<bool>()); break;
        }
        return result;
    }

    /// <summary>Row-major walk over three strided operands of one shape, writing a contiguous output.</summary>
    private static void Select<T>(Tensor condition, Tensor x, Tensor y, Span<T> result) where T : unmanaged
    {
        if (result.Length == 0) return;
        var ca = condition.Raw<bool>();
        var xa = x.Raw<T>();
        var ya = y.Raw<T>();
        int r0 = condition.Dim;
        Span<int> shape = stackalloc int[Math.Max(r0, 1)];
        Span<int> cs = stackalloc int[Math.Max(r0, 1)];
        Span<int> xs = stackalloc int[Math.Max(r0, 1)];
        Span<int> ys = stackalloc int[Math.Max(r0, 1)];
        condition.ShapeSpan.CopyTo(shape);
        condition.strides.CopyTo(cs);
        x.strides.CopyTo(xs);
        y.strides.CopyTo(ys);
        // The output is contiguous, so any merge valid for the three inputs is valid for it too.
        int rank = Strided.Coalesce(shape[..r0], cs, xs, ys, 3);
        int co = condition.Offset, xo = x.Offset, yo = y.Offset;
        if (rank == 0) { result[0] = ca[co] ? xa[xo] : ya[yo]; return; }
        int inner = shape[rank - 1], cIn = cs[rank - 1], xIn = xs[rank - 1], yIn = ys[rank - 1];
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        for (int r = 0; r < result.Length; r += inner)
        {
            var row = result.Slice(r, inner);
            for (int j = 0; j < inner; j++)
                row[j] = BitSelect.Select(ca[co + j * cIn], xa[xo + j * xIn], ya[yo + j * yIn]);
            for (int k = rank - 2; k >= 0; k--)
            {
                if (++counter[k] < shape[k]) { co += cs[k]; xo += xs[k]; yo += ys[k]; break; }
                co -= (shape[k] - 1) * cs[k];
                xo -= (shape[k] - 1) * xs[k];
                yo -= (shape[k] - 1) * ys[k];
                counter[k] = 0;
            }
        }
    }
}
