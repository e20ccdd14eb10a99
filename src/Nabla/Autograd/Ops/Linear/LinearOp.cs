using Nabla.Kernels.Gemm;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x·Wᵀ + b for x [..., in], W [out, in], b [out]: one GEMM with the bias preloaded into y.
/// dx = dy·W,  dW = dyᵀ·x (rows flattened),  db = Σ_rows dy.</summary>
internal sealed class LinearOp : Node
{
    private SavedTensor x, w;
    private readonly int[] xShape;

    private LinearOp(Tensor x, Tensor w, Tensor? b) : base(b is null ? [x, w] : [x, w, b])
    {
        if (w.RequiresGrad) this.x = Save(x);
        if (x.RequiresGrad) this.w = Save(w);
        xShape = x.shape;
    }

    public static Tensor Apply(Tensor x, Tensor w, Tensor? b)
    {
        if (w.Dim != 2) Throw.Shape("Linear", "[out, in]", ShapeUtil.Format(w.shape), $"Linear: weight must be 2-D [out, in]; got {ShapeUtil.Format(w.shape)}.");
        int outF = w.shape[0], inF = w.shape[1];
        if (x.Dim == 0 || x.shape[^1] != inF)
            Throw.Shape("Linear", $"[..., {inF}]", ShapeUtil.Format(x.shape),
                $"Linear({inF} → {outF}): input {ShapeUtil.Format(x.shape)} must end in {inF} features.");
        if (b is not null && (b.Dim != 1 || b.shape[0] != outF))
            Throw.Shape("Linear", $"[{outF}]", ShapeUtil.Format(b.shape), $"Linear({inF} → {outF}): bias must have shape [{outF}]; got {ShapeUtil.Format(b.shape)}.");
        BinaryDriver.CheckDTypes("Linear", x, w);
        if (b is not null) BinaryDriver.CheckDTypes("Linear", x, b);
        var outShape = (int[])x.shape.Clone();
        outShape[^1] = outF;
        var y = Tensor.Uninitialized(outShape, x.DType);
        int rows = x.NumEl / Math.Max(inF, 1);
        var xc = x.ContiguousRaw();
        var wc = w.ContiguousRaw();
        if (x.DType == DType.Float32)
        {
            var ys = y.Span<float>();
            if (b is not null) { var bs = b.ContiguousRaw().Span<float>(); for (int r = 0; r < rows; r++) bs.CopyTo(ys.Slice(r * outF, outF)); }
            Gemm.Sgemm(false, true, rows, outF, inF, 1f, xc.Span<float>(), inF, wc.Span<float>(), inF, b is null ? 0f : 1f, ys, outF);
        }
        else
        {
            var ys = y.Span<double>();
            if (b is not null) { var bs = b.ContiguousRaw().Span<double>(); for (int r = 0; r < rows; r++) bs.CopyTo(ys.Slice(r * outF, outF)); }
            Gemm.Dgemm(false, true, rows, outF, inF, 1.0, xc.Span<double>(), inF, wc.Span<double>(), inF, b is null ? 0.0 : 1.0, ys, outF);
        }
        bool record = b is null ? Graph.ShouldRecord(x, w) : Graph.ShouldRecord([x, w, b]);
        return record ? Graph.Record(y, new LinearOp(x, w, b)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var g = dy.ContiguousRaw();
        int outF = g.shape[^1];
        int inF = xShape[^1];
        int rows = g.NumEl / Math.Max(outF, 1);
        bool f32 = g.DType == DType.Float32;
        if (NeedsGrad(0))
        {
            var wc = w.Value.ContiguousRaw();
            var dx = Tensor.Uninitialized(xShape, g.DType);
            if (f32) Gemm.Sgemm(false, false, rows, inF, outF, 1f, g.Span<float>(), outF, wc.Span<float>(), inF, 0f, dx.Span<float>(), inF);
            else Gemm.Dgemm(false, false, rows, inF, outF, 1.0, g.Span<double>(), outF, wc.Span<double>(), inF, 0.0, dx.Span<double>(), inF);
            AddGrad(0, dx);
        }
        if (NeedsGrad(1))
        {
            var xc = x.Value.ContiguousRaw();
            var dw = Tensor.Uninitialized([outF, inF], g.DType);
            if (f32) Gemm.Sgemm(true, false, outF, inF, rows, 1f, g.Span<float>(), outF, xc.Span<float>(), inF, 0f, dw.Span<float>(), inF);
            else Gemm.Dgemm(true, false, outF, inF, rows, 1.0, g.Span<double>(), outF, xc.Span<double>(), inF, 0.0, dw.Span<double>(), inF);
            AddGrad(1, dw);
        }
        if (Inputs.Length > 2 && NeedsGrad(2))
            AddGrad(2, ReduceDriver.Sum(g.ReshapeRaw([rows, outF]), [0], keepDim: false));
    }

    protected internal override void ReleaseSaved() => (x, w) = (default, default);
}
