using System.Numerics;
using Nabla.Kernels.Norm;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Layer normalization (PyTorch's layer_norm) over the trailing dims D = normalized_shape, M = ∏D:
/// y = (x − μ)·rstd·γ + β per row of M values, with μ, the biased σ² and rstd = 1/√(σ² + eps) per row.
/// Backward (docs/derivations/layer-norm.md), g = dy·γ: dx = rstd·(g − mean(g) − x̂·mean(g·x̂)),
/// dγ = Σ_rows dy·x̂, dβ = Σ_rows dy.</summary>
internal sealed class LayerNormOp : AffineNormOp
{
    private readonly int rows, m;

    private LayerNormOp(Tensor x, Tensor? weight, Tensor? bias, Tensor mean, Tensor rstd, int m)
        : base(x, weight, bias, mean, rstd)
    {
        this.m = m;
        rows = m == 0 ? 0 : x.NumEl / m;
    }

    public static Tensor Apply(Tensor x, int[] normalizedShape, Tensor? weight, Tensor? bias, double eps, string op = "LayerNorm")
    {
        NormArgs.CheckInput(op, x);
        int d = normalizedShape.Length;
        if (d == 0) Throw.Argument($"{op}: normalized_shape must not be empty.");
        if (x.Dim < d || !ShapeUtil.SameShape(x.shape.AsSpan(x.Dim - d), normalizedShape))
            Throw.Shape(op, $"[*, {string.Join(", ", normalizedShape)}]", ShapeUtil.Format(x.shape),
                $"{op}: normalized_shape {ShapeUtil.Format(normalizedShape)} expects an input of shape [*, {string.Join(", ", normalizedShape)}]; got {ShapeUtil.Format(x.shape)}.");
        NormArgs.CheckVector(op, "weight", weight, x, normalizedShape);
        NormArgs.CheckVector(op, "bias", bias, x, normalizedShape);
        int m = NormArgs.Product(normalizedShape, 0), rows = m == 0 ? 0 : x.NumEl / m;
        var xc = x.ContiguousRaw();
        var y = Tensor.Uninitialized(x.shape, x.DType);
        var mean = Tensor.Uninitialized([rows], x.DType);
        var rstd = Tensor.Uninitialized([rows], x.DType);
        if (x.DType == DType.Float32) Forward<float>(xc, weight, bias, y, mean, rstd, rows, m, eps);
        else Forward<double>(xc, weight, bias, y, mean, rstd, rows, m, eps);
        bool record = Graph.ShouldRecord(NormArgs.Inputs(x, weight, bias));
        return record ? Graph.Record(y, new LayerNormOp(xc, weight, bias, mean, rstd, m)) : y;
    }

    private static void Forward<T>(Tensor x, Tensor? weight, Tensor? bias, Tensor y, Tensor mean, Tensor rstd, int rows, int m, double eps)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        LayerNormKernel.Forward(x.Span<T>(), weight is null ? default : weight.ContiguousRaw().Span<T>(), bias is null ? default : bias.ContiguousRaw().Span<T>(),
            y.Span<T>(), mean.Span<T>(), rstd.Span<T>(), rows, m, eps);

    protected override void KernelBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd,
        ReadOnlySpan<T> weight, Span<T> dx, Span<T> dWeight, Span<T> dBias) =>
        LayerNormKernel.Backward(x, dy, mean, rstd, weight, dx, dWeight, dBias, rows, m);
}
