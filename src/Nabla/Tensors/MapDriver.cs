namespace Nabla.Tensors;

/// <summary>A span-to-span kernel: reads x, writes y (same length).</summary>
internal delegate void SpanMap<T>(ReadOnlySpan<T> x, Span<T> y);

/// <summary>A two-input span kernel: reads a and b, writes y (same length).</summary>
internal delegate void SpanZip<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y);

/// <summary>Runs span kernels over whole tensors, choosing the float32 or float64 variant by dtype.</summary>
internal static class MapDriver
{
    /// <summary>y = f(x) element-wise into a new contiguous tensor.</summary>
    public static Tensor Map(string op, Tensor x, SpanMap<float> f32, SpanMap<double> f64)
    {
        var src = x.ContiguousRaw();
        var y = Tensor.Uninitialized(x.shape, x.DType);
        // Some TensorPrimitives functions (Sigmoid, SoftMax) reject empty spans; an empty tensor maps to itself.
        if (y.NumEl == 0 && x.DType.IsFloatingPoint()) return y;
        switch (x.DType)
        {
            case DType.Float32: f32(src.Span<float>(), y.Span<float>()); break;
            case DType.Float64: f64(src.Span<double>(), y.Span<double>()); break;
            default: Throw.DType(op, x.DType, "float32 or float64"); break;
        }
        return y;
    }

    /// <summary>y = f(a, b) element-wise for two tensors of the same shape and dtype (used by fused backward kernels).</summary>
    public static Tensor Zip(string op, Tensor a, Tensor b, SpanZip<float> f32, SpanZip<double> f64)
    {
        if (!ShapeUtil.SameShape(a.shape, b.shape))
            Throw.Shape(op, ShapeUtil.Format(a.shape), ShapeUtil.Format(b.shape), $"{op}: shapes differ: {ShapeUtil.Format(a.shape)} and {ShapeUtil.Format(b.shape)}.");
        BinaryDriver.CheckDTypes(op, a, b);
        var sa = a.ContiguousRaw();
        var sb = b.ContiguousRaw();
        var y = Tensor.Uninitialized(a.shape, a.DType);
        if (y.NumEl == 0) return y;
        if (a.DType == DType.Float32) f32(sa.Span<float>(), sb.Span<float>(), y.Span<float>());
        else f64(sa.Span<double>(), sb.Span<double>(), y.Span<double>());
        return y;
    }
}
