using System.Numerics;
using Nabla.Kernels.Conv;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>2-D cross-correlation (PyTorch's conv2d): y[n, co] = b[co] + Σ_{ci ∈ group, i, j} W[co, ci, i, j] ·
/// x[n, ci, oy·s + i·d − pad, ox·s + j·d − pad]. Backward: dW = dy·im2col(x)ᵀ, dx = col2im(Wᵀ·dy), db = Σ dy (see
/// <see cref="ConvKernel"/> and docs/derivations/convolution.md). Where the kernel forms im2col explicitly, the forward's
/// columns are kept for dW; where it gathers them inside the GEMM (float32 strided, <see cref="ImplicitConv"/>), x is.</summary>
internal sealed class Conv2dOp : Node
{
    private SavedTensor w;
    private SavedTensor x;  // for dW where the implicit GEMM keeps no columns
    private Tensor? cols;   // the forward's im2col columns [G, Kg, N·P], kept for dW instead of x; internal, so never modified
    private readonly ConvGeometry geometry;
    private readonly int groups;
    private readonly int[] xShape, wShape;
    private readonly bool hasBias;

    private Conv2dOp(Tensor x, Tensor w, Tensor? b, Tensor? cols, ConvGeometry geometry, int groups) : base(b is null ? [x, w] : [x, w, b])
    {
        this.cols = cols;
        if (x.RequiresGrad) this.w = Save(w);
        if (cols is null && w.RequiresGrad) this.x = Save(x);
        (this.geometry, this.groups, xShape, wShape, hasBias) = (geometry, groups, x.shape, w.shape, b is not null);
    }

    /// <summary>Validates and runs the convolution. Padding is (top, left, bottom, right).</summary>
    public static Tensor Apply(Tensor x, Tensor w, Tensor? b, (int H, int W) stride, (int Top, int Left, int Bottom, int Right) padding,
        (int H, int W) dilation, int groups, string op = "Conv2d")
    {
        if (x.Dim != 4) Throw.Shape(op, "[N, C, H, W]", ShapeUtil.Format(x.shape), $"{op}: input must be 4-D [N, C, H, W]; got {ShapeUtil.Format(x.shape)}.");
        if (w.Dim != 4) Throw.Shape(op, "[out, in/groups, kH, kW]", ShapeUtil.Format(w.shape), $"{op}: weight must be 4-D [out_channels, in_channels/groups, kH, kW]; got {ShapeUtil.Format(w.shape)}.");
        if (groups < 1 || w.shape[0] % groups != 0)
            Throw.Argument($"{op}: out_channels {w.shape[0]} must be divisible by groups {groups}.");
        int cin = x.shape[1], cg = w.shape[1];
        if (cin != cg * groups)
            Throw.Shape(op, $"{cg * groups} input channels", cin.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{op}: input {ShapeUtil.Format(x.shape)} has {cin} channels but weight {ShapeUtil.Format(w.shape)} with groups={groups} expects {cg * groups}.");
        if (b is not null && (b.Dim != 1 || b.shape[0] != w.shape[0]))
            Throw.Shape(op, $"[{w.shape[0]}]", ShapeUtil.Format(b.shape), $"{op}: bias must have shape [{w.shape[0]}]; got {ShapeUtil.Format(b.shape)}.");
        if (stride.H < 1 || stride.W < 1 || dilation.H < 1 || dilation.W < 1)
            Throw.Argument($"{op}: stride {stride} and dilation {dilation} must be positive.");
        if (padding.Top < 0 || padding.Left < 0 || padding.Bottom < 0 || padding.Right < 0)
            Throw.Argument($"{op}: padding {padding} must not be negative.");
        BinaryDriver.CheckDTypes(op, x, w);
        if (b is not null) BinaryDriver.CheckDTypes(op, x, b);
        var g = new ConvGeometry(cg, x.shape[2], x.shape[3], w.shape[2], w.shape[3], stride.H, stride.W,
            padding.Top, padding.Left, padding.Bottom, padding.Right, dilation.H, dilation.W);
        if (g.OutH < 1 || g.OutW < 1)
            Throw.Shape(op, "an output of at least 1×1", $"{g.OutH}×{g.OutW}",
                $"{op}: input {ShapeUtil.Format(x.shape)} is too small for kernel {w.shape[2]}×{w.shape[3]} with padding {padding}, stride {stride} and dilation {dilation} (output would be {g.OutH}×{g.OutW}).");
        int n = x.shape[0], cout = w.shape[0];
        var y = Tensor.Uninitialized([n, cout, g.OutH, g.OutW], x.DType);
        var xc = x.ContiguousRaw();
        var wc = w.ContiguousRaw();
        var bc = b?.ContiguousRaw();
        bool record = b is null ? Graph.ShouldRecord(x, w) : Graph.ShouldRecord([x, w, b]);
        // Keep the columns for the weight gradient: backward then skips a second im2col.
        bool keepColumns = x.DType == DType.Float32 ? ConvKernel.KeepsColumns<float>(n, g) : ConvKernel.KeepsColumns<double>(n, g);
        var cols = record && w.RequiresGrad && keepColumns ? Tensor.Uninitialized([ConvKernel.ColumnLength(n, groups, g)], x.DType) : null;
        if (x.DType == DType.Float32) Run<float>(xc, wc, bc, y, cols, n, groups, cout, g);
        else Run<double>(xc, wc, bc, y, cols, n, groups, cout, g);
        return record ? Graph.Record(y, new Conv2dOp(x, w, b, cols, g, groups)) : y;
    }

    private static void Run<T>(Tensor x, Tensor w, Tensor? b, Tensor y, Tensor? cols, int n, int groups, int cout, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ConvKernel.Forward<T>(x.Span<T>(), w.Span<T>(), b is null ? default : b.Span<T>(), y.Span<T>(), n, groups, cout, g,
            cols is null ? default : cols.Span<T>());

    protected internal override void Backward(Tensor dy)
    {
        var g = dy.ContiguousRaw();
        var dx = NeedsGrad(0) ? Tensor.Uninitialized(xShape, g.DType) : null;
        var dw = NeedsGrad(1) ? Tensor.Uninitialized(wShape, g.DType) : null;
        var db = hasBias && NeedsGrad(2) ? Tensor.Uninitialized([wShape[0]], g.DType) : null;
        var wv = dx is null ? null : w.Value.ContiguousRaw();
        var xv = dw is not null && cols is null ? x.Value.ContiguousRaw() : null;
        if (g.DType == DType.Float32) RunBackward<float>(xv, wv, g, dx, dw, db);
        else RunBackward<double>(xv, wv, g, dx, dw, db);
        if (dx is not null) AddGrad(0, dx);
        if (dw is not null) AddGrad(1, dw);
        if (db is not null) AddGrad(2, db);
    }

    private void RunBackward<T>(Tensor? xv, Tensor? wv, Tensor dy, Tensor? dx, Tensor? dw, Tensor? db) where T : unmanaged, IFloatingPointIeee754<T> =>
        ConvKernel.Backward<T>(xv is null ? default : xv.Span<T>(), wv is null ? default : wv.Span<T>(), dy.Span<T>(),
            dx is null ? default : dx.Span<T>(), dw is null ? default : dw.Span<T>(), db is null ? default : db.Span<T>(),
            xShape[0], groups, wShape[0], geometry, cols is null ? default : cols.Span<T>());

    protected internal override void ReleaseSaved() => (w, x, cols) = (default, default, null);
}
