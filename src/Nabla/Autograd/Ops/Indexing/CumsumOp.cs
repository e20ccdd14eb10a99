using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = cumsum(x, dim): yⱼ = Σ_{i≤j} xᵢ along dim.  dxᵢ = Σ_{j≥i} dyⱼ, the cumulative sum of dy taken in reverse.</summary>
/// <remarks>Integer and bool inputs give int64, as in PyTorch. x is read as [outer, n, inner]; with inner &gt; 1
/// each step adds a whole row of inner elements with one vector add.</remarks>
internal sealed class CumsumOp(Tensor x, int dim) : Node(x)
{
    public static Tensor Apply(Tensor x, int dim)
    {
        const string op = "Cumsum";
        int d = ShapeUtil.WrapDim(op, dim, x.Dim);
        var src = x.DType.IsFloatingPoint() || x.DType == DType.Int64 ? x.ContiguousRaw() : x.ToRaw(DType.Int64);
        var y = Scan(src, d, reverse: false);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new CumsumOp(x, d)) : y;
    }

    protected internal override void Backward(Tensor dy) => AddGrad(0, Scan(dy.ContiguousRaw(), dim, reverse: true));

    /// <summary>Inclusive prefix sums along <paramref name="dim"/> of a contiguous tensor (suffix sums when reversed).</summary>
    private static Tensor Scan(Tensor x, int dim, bool reverse)
    {
        var y = Tensor.Uninitialized(x.shape, x.DType);
        var (outer, n, inner) = IndexArgs.Around(x.shape, dim);
        switch (x.DType)
        {
            case DType.Float32: Scan(x.Span<float>(), y.Span<float>(), outer, n, inner, reverse); break;
            case DType.Float64: Scan(x.Span<double>(), y.Span<double>(), outer, n, inner, reverse); break;
            default: Scan(x.Span<long>(), y.Span<long>(), outer, n, inner, reverse); break;
        }
        return y;
    }

    private static void Scan<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int n, int inner, bool reverse) where T : INumber<T>
    {
        if (n == 0) return;
        int first = reverse ? n - 1 : 0, step = reverse ? -1 : 1;
        for (int o = 0; o < outer; o++)
        {
            int rowStart = o * n * inner;
            if (inner == 1)
            {
                T acc = T.Zero;
                for (int j = 0, p = rowStart + first; j < n; j++, p += step) y[p] = acc += x[p];
                continue;
            }
            int prev = rowStart + first * inner;
            x.Slice(prev, inner).CopyTo(y.Slice(prev, inner));
            for (int j = 1; j < n; j++)
            {
                int cur = prev + step * inner;
                TensorPrimitives.Add(y.Slice(prev, inner), x.Slice(cur, inner), y.Slice(cur, inner));
                prev = cur;
            }
        }
    }
}
