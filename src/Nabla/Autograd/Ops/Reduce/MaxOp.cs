using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Max or min over one dimension: y = x at the index of the extreme element.  dx = dy at that index, 0 elsewhere.</summary>
internal sealed class MaxOp(Tensor x, Tensor indices, int dim, bool isMax) : Node(x)
{
    private readonly int[] xShape = x.shape;

    public override string Name => isMax ? "Max" : "Min";

    public static (Tensor Values, Tensor Indices) Apply(Tensor x, int dim, bool keepDim, bool isMax)
    {
        int d = ShapeUtil.WrapDim(isMax ? "Max" : "Min", dim, x.Dim);
        var src = x.Dim == 0 ? x.ReshapeRaw([1]) : x;
        var (values, indices) = ReduceDriver.Extreme(src, d, keepDim && x.Dim > 0, isMax);
        if (Graph.ShouldRecord(x)) Graph.Record(values, new MaxOp(x, indices, d, isMax));
        return (values, indices);
    }

    protected internal override void Backward(Tensor dy)
    {
        var dx = Tensor.Zeros(xShape, dy.DType);
        if (xShape.Length == 0) { AddGrad(0, dy.CloneRaw()); return; }
        int outer = 1, r = xShape[dim], inner = 1;
        for (int i = 0; i < dim; i++) outer *= xShape[i];
        for (int i = dim + 1; i < xShape.Length; i++) inner *= xShape[i];
        var idx = indices.ContiguousRaw().Span<long>();
        var g = dy.ContiguousRaw();
        if (dy.DType == DType.Float32) Scatter(g.Span<float>(), idx, dx.Span<float>(), outer, r, inner);
        else Scatter(g.Span<double>(), idx, dx.Span<double>(), outer, r, inner);
        AddGrad(0, dx);
    }

    private static void Scatter<T>(ReadOnlySpan<T> dy, ReadOnlySpan<long> idx, Span<T> dx, int outer, int r, int inner)
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                dx[(o * r + (int)idx[o * inner + i]) * inner + i] = dy[o * inner + i];
    }
}
