using System.Numerics;
using Nabla.Kernels.Conv;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>2-D transposed convolution (PyTorch's conv_transpose2d), the adjoint of <see cref="Conv2dOp"/>'s map
/// x ↦ y: y = col2im(Wᵀ·x) + b, output size (in − 1)·s − 2·pad + d·(k − 1) + outputPadding + 1.
/// Backward: dx = W·im2col(dy) (a convolution of dy), dW = Σ_n x·im2col(dy)ᵀ, db = Σ dy.</summary>
internal sealed class ConvTranspose2dOp : Node
{
    private SavedTensor x, w;
    private readonly ConvGeometry geometry;
    private readonly int groups;
    private readonly int[] xShape, wShape;
    private readonly bool hasBias;

    private ConvTranspose2dOp(Tensor x, Tensor w, Tensor? b, ConvGeometry geometry, int groups) : base(b is null ? [x, w] : [x, w, b])
    {
        if (w.RequiresGrad) this.x = Save(x);
        if (x.RequiresGrad) this.w = Save(w);
        (this.geometry, this.groups, xShape, wShape, hasBias) = (geometry, groups, x.shape, w.shape, b is not null);
    }

    public static Tensor Apply(Tensor x, Tensor w, Tensor? b, (int H, int W) stride, (int H, int W) padding,
        (int H, int W) outputPadding, (int H, int W) dilation, int groups)
    {
        const string op = "ConvTranspose2d";
        if (x.Dim != 4) Throw.Shape(op, "[N, C, H, W]", ShapeUtil.Format(x.shape), $"{op}: input must be 4-D [N, C, H, W]; got {ShapeUtil.Format(x.shape)}.");
        if (w.Dim != 4) Throw.Shape(op, "[in, out/groups, kH, kW]", ShapeUtil.Format(w.shape), $"{op}: weight must be 4-D [in_channels, out_channels/groups, kH, kW]; got {ShapeUtil.Format(w.shape)}.");
        int cin = x.shape[1];
        if (groups < 1 || w.shape[0] != cin || cin % groups != 0)
            Throw.Shape(op, $"{w.shape[0]} input channels", cin.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{op}: input {ShapeUtil.Format(x.shape)} has {cin} channels but weight {ShapeUtil.Format(w.shape)} expects {w.shape[0]} (divisible by groups={groups}).");
        int cout = w.shape[1] * groups;
        if (b is not null && (b.Dim != 1 || b.shape[0] != cout))
            Throw.Shape(op, $"[{cout}]", ShapeUtil.Format(b.shape), $"{op}: bias must have shape [{cout}]; got {ShapeUtil.Format(b.shape)}.");
        if (outputPadding.H >= Math.Max(stride.H, dilation.H) || outputPadding.W >= Math.Max(stride.W, dilation.W) || outputPadding.H < 0 || outputPadding.W < 0)
            Throw.Argument($"{op}: output padding {outputPadding} must be non-negative and smaller than either stride {stride} or dilation {dilation}.");
        BinaryDriver.CheckDTypes(op, x, w);
        if (b is not null) BinaryDriver.CheckDTypes(op, x, b);
        int kh = w.shape[2], kw = w.shape[3];
        int outH = (x.shape[2] - 1) * stride.H - 2 * padding.H + dilation.H * (kh - 1) + outputPadding.H + 1;
        int outW = (x.shape[3] - 1) * stride.W - 2 * padding.W + dilation.W * (kw - 1) + outputPadding.W + 1;
        if (outH < 1 || outW < 1)
            Throw.Shape(op, "an output of at least 1×1", $"{outH}×{outW}", $"{op}: input {ShapeUtil.Format(x.shape)} with padding {padding} gives an empty output {outH}×{outW}.");
        // The geometry of the forward convolution that this op is the adjoint of: its input is our output.
        // Output padding adds rows/columns at the bottom/right that no input position reaches.
        var g = new ConvGeometry(w.shape[1], outH, outW, kh, kw, stride.H, stride.W,
            padding.H, padding.W, padding.H - outputPadding.H, padding.W - outputPadding.W, dilation.H, dilation.W);
        int n = x.shape[0];
        var y = Tensor.Uninitialized([n, cout, outH, outW], x.DType);
        var xc = x.ContiguousRaw();
        var wc = w.ContiguousRaw();
        var bc = b?.ContiguousRaw();
        if (x.DType == DType.Float32) Run<float>(xc, wc, bc, y, n, groups, cin, g);
        else Run<double>(xc, wc, bc, y, n, groups, cin, g);
        bool record = b is null ? Graph.ShouldRecord(x, w) : Graph.ShouldRecord([x, w, b]);
        return record ? Graph.Record(y, new ConvTranspose2dOp(x, w, b, g, groups)) : y;
    }

    private static void Run<T>(Tensor x, Tensor w, Tensor? b, Tensor y, int n, int groups, int cin, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ConvKernel.TransposedForward<T>(x.Span<T>(), w.Span<T>(), b is null ? default : b.Span<T>(), y.Span<T>(), n, groups, cin, g);

    protected internal override void Backward(Tensor dy)
    {
        var g = dy.ContiguousRaw();
        var dx = NeedsGrad(0) ? Tensor.Uninitialized(xShape, g.DType) : null;
        var dw = NeedsGrad(1) ? Tensor.Uninitialized(wShape, g.DType) : null;
        var db = hasBias && NeedsGrad(2) ? Tensor.Uninitialized([wShape[1] * groups], g.DType) : null;
        var xv = dw is null ? null : x.Value.ContiguousRaw();
        var wv = dx is null ? null : w.Value.ContiguousRaw();
        if (g.DType == DType.Float32) RunBackward<float>(xv, wv, g, dx, dw, db);
        else RunBackward<double>(xv, wv, g, dx, dw, db);
        if (dx is not null) AddGrad(0, dx);
        if (dw is not null) AddGrad(1, dw);
        if (db is not null) AddGrad(2, db);
    }

    private void RunBackward<T>(Tensor? xv, Tensor? wv, Tensor dy, Tensor? dx, Tensor? dw, Tensor? db) where T : unmanaged, IFloatingPointIeee754<T> =>
        ConvKernel.TransposedBackward<T>(xv is null ? default : xv.Span<T>(), wv is null ? default : wv.Span<T>(), dy.Span<T>(),
            dx is null ? default : dx.Span<T>(), dw is null ? default : dw.Span<T>(), db is null ? default : db.Span<T>(),
            xShape[0], groups, xShape[1], geometry);

    protected internal override void ReleaseSaved() => (x, w) = (default, default);
}
