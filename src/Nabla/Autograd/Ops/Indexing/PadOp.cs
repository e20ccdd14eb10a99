using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = F.pad(x, pad, mode, value). pad lists (before, after) pairs from the last dimension backwards:
/// (left, right, top, bottom, front, back). A negative amount crops.</summary>
/// <remarks>
/// constant: y = value outside, x copied into the interior; dx = dy's interior (the fill does not depend on x).
/// reflect, replicate, circular: along each padded dimension, output position p reads input position s(p) with
/// i = p − before and s = |i| mirrored at n−1 (reflect, edge not repeated), clamp(i, 0, n−1) (replicate) or
/// i mod n (circular); so each dimension is one IndexSelect with that map, whose backward (index-add) sums the
/// gradients of every copy of an element. As in PyTorch these modes pad the last 1–3 dimensions of an input with
/// one or two more dimensions (batch and channel).
/// </remarks>
internal sealed class PadOp : Node
{
    private readonly int[] xShape;
    private readonly int[] pad;   // PyTorch order, validated

    private PadOp(Tensor x, int[] pad) : base(x)
    {
        xShape = x.shape;
        this.pad = pad;
    }

    public static Tensor Apply(Tensor x, int[] pad, string mode, double value)
    {
        const string op = "Pad";
        ArgumentNullException.ThrowIfNull(pad);
        ArgumentNullException.ThrowIfNull(mode);
        if (pad.Length % 2 != 0)
            Throw.Argument($"{op}: padding length must be divisible by 2 (one (before, after) pair per dimension); got {pad.Length} values {ShapeUtil.Format(pad)}.");
        if (pad.Length / 2 > x.Dim)
            Throw.Argument($"{op}: padding {ShapeUtil.Format(pad)} pads {pad.Length / 2} dimensions but the input {ShapeUtil.Format(x.shape)} has only {x.Dim}.");
        var yShape = (int[])x.shape.Clone();
        for (int k = 0; k < pad.Length / 2; k++)
        {
            int d = x.Dim - 1 - k, before = pad[2 * k], after = pad[2 * k + 1];
            long size = (long)x.shape[d] + before + after;
            if (size < 0)
                Throw.Argument($"{op}: padding ({before}, {after}) of dimension {d} (size {x.shape[d]}) gives a negative output size {size}.");
            yShape[d] = (int)size;
        }
        switch (mode)
        {
            case "constant":
                return Constant(x, (int[])pad.Clone(), yShape, value);
            case "reflect" or "replicate" or "circular":
                if (value != 0) Throw.Argument($"{op}: padding mode \"{mode}\" doesn't take a value argument (got {value}); only \"constant\" does.");
                CheckNonConstant(x, pad, mode);
                var y = x;
                for (int k = 0; k < pad.Length / 2; k++)
                {
                    int d = x.Dim - 1 - k;
                    if (pad[2 * k] == 0 && pad[2 * k + 1] == 0) continue;
                    y = IndexSelectOp.Apply(y, d, SourceMap(mode, x.shape[d], pad[2 * k], yShape[d]));
                }
                return y == x ? CloneOp.Apply(x, x.DType, op) : y;   // all pads zero: still a new tensor, as PyTorch returns
            default:
                return Throw.InvalidOperation<Tensor>($"{op}: unknown padding mode \"{mode}\"; expected \"constant\", \"reflect\", \"replicate\" or \"circular\".");
        }
    }

    private static void CheckNonConstant(Tensor x, int[] pad, string mode)
    {
        const string op = "Pad";
        int dims = pad.Length / 2;
        if (dims == 0 || dims > 3 || x.Dim < dims + 1 || x.Dim > dims + 2)
            Throw.Argument($"{op}: \"{mode}\" padding of {dims} dimension(s) needs a {dims + 1}-D or {dims + 2}-D input (batch and/or channel first, at most 3 padded dimensions); got shape {ShapeUtil.Format(x.shape)}.");
        for (int k = 0; k < dims; k++)
        {
            int d = x.Dim - 1 - k, n = x.shape[d], before = pad[2 * k], after = pad[2 * k + 1];
            if (before == 0 && after == 0) continue;
            bool ok = mode switch
            {
                "reflect" => before < n && after < n,
                "replicate" => n > 0,
                _ => before <= n && after <= n,
            };
            if (!ok)
                Throw.Argument(mode switch
                {
                    "reflect" => $"{op}: reflect padding ({before}, {after}) must be less than the size {n} of dimension {d} of input {ShapeUtil.Format(x.shape)}.",
                    "replicate" => $"{op}: replicate padding needs a non-empty dimension {d}; input {ShapeUtil.Format(x.shape)}.",
                    _ => $"{op}: circular padding ({before}, {after}) wraps around more than once; it must be at most the size {n} of dimension {d} of input {ShapeUtil.Format(x.shape)}.",
                });
        }
    }

    /// <summary>For each output position p along a dimension of size n padded by <paramref name="before"/>, the input position it reads.</summary>
    private static Tensor SourceMap(string mode, int n, int before, int outSize)
    {
        var map = Tensor.Uninitialized([outSize], DType.Int64);
        var s = map.Span<long>();
        for (int p = 0; p < outSize; p++)
        {
            int i = p - before;
            s[p] = mode switch
            {
                "reflect" => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i,
                "replicate" => Math.Clamp(i, 0, n - 1),
                _ => ((i % n) + n) % n,
            };
        }
        return map;
    }

    private static Tensor Constant(Tensor x, int[] pad, int[] yShape, double value)
    {
        var y = Tensor.Full(yShape, value, x.DType);
        var (region, xOffset, yOffset) = Interior(x.shape, x.strides, x.Offset, yShape, pad);
        if (ShapeUtil.NumEl(region) > 0)
            y.AsStrided(region, y.strides, yOffset).CopyFromRaw(x.AsStrided(region, x.strides, xOffset));
        return Graph.ShouldRecord(x) ? Graph.Record(y, new PadOp(x, pad)) : y;
    }

    /// <summary>The region x and y share: x cropped by the negative pads, y without its positive pads. Returns its
    /// shape and its storage offset in each tensor (x read through <paramref name="xStrides"/>, y contiguous).</summary>
    private static (int[] Shape, int XOffset, int YOffset) Interior(int[] xShape, int[] xStrides, int xOffset, int[] yShape, int[] pad)
    {
        var shape = (int[])xShape.Clone();
        var yStrides = ShapeUtil.ContiguousStrides(yShape);
        int xo = xOffset, yo = 0;
        for (int k = 0; k < pad.Length / 2; k++)
        {
            int d = xShape.Length - 1 - k, before = pad[2 * k], after = pad[2 * k + 1];
            int cropBefore = Math.Max(-before, 0), cropAfter = Math.Max(-after, 0);
            shape[d] = Math.Max(xShape[d] - cropBefore - cropAfter, 0);
            xo += cropBefore * xStrides[d];
            yo += Math.Max(before, 0) * yStrides[d];
        }
        return (shape, xo, yo);
    }

    protected internal override void Backward(Tensor dy)
    {
        var dx = Tensor.Zeros(xShape, dy.DType);
        var g = dy.ContiguousRaw();
        var (region, xOffset, yOffset) = Interior(xShape, dx.strides, 0, g.shape, pad);
        if (ShapeUtil.NumEl(region) > 0)
            dx.AsStrided(region, dx.strides, xOffset).CopyFromRaw(g.AsStrided(region, g.strides, g.Offset + yOffset));
        AddGrad(0, dx);
    }
}
