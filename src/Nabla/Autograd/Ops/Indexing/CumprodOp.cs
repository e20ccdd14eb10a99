using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = cumprod(x, dim): yⱼ = Π_{i≤j} xᵢ along dim.
/// dxⱼ = Σ_{k≥j} dyₖ · Π_{i≤k, i≠j} xᵢ, computed per row in O(n) even with zeros (see <see cref="Backward"/>).</summary>
/// <remarks>Integer and bool inputs give int64, as in PyTorch.</remarks>
internal sealed class CumprodOp : Node
{
    private SavedTensor x, y;   // both [.., n, ..], contiguous
    private readonly int dim;

    private CumprodOp(Tensor x, Tensor y, int dim) : base(x)
    {
        this.x = Save(x);
        this.y = Save(y);
        this.dim = dim;
    }

    public static Tensor Apply(Tensor x, int dim)
    {
        const string op = "Cumprod";
        int d = ShapeUtil.WrapDim(op, dim, x.Dim);
        var src = x.DType.IsFloatingPoint() || x.DType == DType.Int64 ? x.ContiguousRaw() : x.ToRaw(DType.Int64);
        var y = Tensor.Uninitialized(src.shape, src.DType);
        var (outer, n, inner) = IndexArgs.Around(src.shape, d);
        switch (src.DType)
        {
            case DType.Float32: Forward(src.Span<float>(), y.Span<float>(), outer, n, inner); break;
            case DType.Float64: Forward(src.Span<double>(), y.Span<double>(), outer, n, inner); break;
            default: Forward(src.Span<long>(), y.Span<long>(), outer, n, inner); break;
        }
        return Graph.ShouldRecord(x) ? Graph.Record(y, new CumprodOp(src, y, d)) : y;
    }

    private static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int n, int inner) where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                T acc = T.One;
                for (int j = 0, p = o * n * inner + i; j < n; j++, p += inner) y[p] = acc *= x[p];
            }
    }

    /// <summary>Per row, with z the first zero of x (n if none):
    /// j &lt; z: dxⱼ = (Σ_{j≤k&lt;z} dyₖ·yₖ) / xⱼ, since every later product contains x_z = 0;
    /// j = z: dx_z = Σ_{k≥z} dyₖ · y_{z−1} · Π_{z&lt;i≤k} xᵢ (a running product);  j &gt; z: dxⱼ = 0.</summary>
    protected internal override void Backward(Tensor dy)
    {
        var xs = x.Value;
        var ys = y.Value;
        var g = dy.ContiguousRaw();
        var dx = Tensor.Zeros(xs.shape, dy.DType);
        var (outer, n, inner) = IndexArgs.Around(xs.shape, dim);
        if (dy.DType == DType.Float32) Backward(xs.Span<float>(), ys.Span<float>(), g.Span<float>(), dx.Span<float>(), outer, n, inner);
        else Backward(xs.Span<double>(), ys.Span<double>(), g.Span<double>(), dx.Span<double>(), outer, n, inner);
        AddGrad(0, dx);
    }

    private static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int outer, int n, int inner)
        where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int start = o * n * inner + i;
                int z = 0;
                while (z < n && x[start + z * inner] != T.Zero) z++;
                T suffix = T.Zero;
                for (int j = z - 1; j >= 0; j--)
                {
                    int p = start + j * inner;
                    suffix += dy[p] * y[p];
                    dx[p] = suffix / x[p];
                }
                if (z == n) continue;
                T running = z == 0 ? T.One : y[start + (z - 1) * inner], sum = T.Zero;
                for (int k = z; k < n; k++)
                {
                    int p = start + k * inner;
                    if (k > z) running *= x[p];
                    sum += dy[p] * running;
                }
                dx[start + z * inner] = sum;
            }
    }

    protected internal override void ReleaseSaved() => (x, y) = (default, default);
}
