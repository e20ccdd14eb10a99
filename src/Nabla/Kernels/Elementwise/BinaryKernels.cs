using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels.Elementwise;

/// <summary>An element-wise binary function d = f(x, y) in its three span shapes: both operands spans, a span
/// and a scalar, a scalar and a span. TensorPrimitives supplies the vectorized loops.</summary>
internal interface IBinaryKernel
{
    static abstract string Name { get; }
    static abstract void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

internal readonly struct AddKernel : IBinaryKernel
{
    public static string Name => "Add";
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, d);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, d);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(y, x, d);
}

internal readonly struct SubKernel : IBinaryKernel
{
    public static string Name => "Sub";
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
}

internal readonly struct MulKernel : IBinaryKernel
{
    public static string Name => "Mul";
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, d);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, d);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(y, x, d);
}

internal readonly struct DivKernel : IBinaryKernel
{
    public static string Name => "Div";
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
}

internal readonly struct PowKernel : IBinaryKernel
{
    public static string Name => "Pow";
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, d);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y == T.CreateTruncating(2)) TensorPrimitives.Multiply(x, x, d);
        else TensorPrimitives.Pow(x, y, d);
    }
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, d);
}

/// <summary>Element-wise maximum; NaN propagates, as in torch.maximum.</summary>
internal readonly struct MaxKernel : IBinaryKernel
{
    public static string Name => "Maximum";
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, d);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, d);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(y, x, d);
}

/// <summary>Element-wise minimum; NaN propagates, as in torch.minimum.</summary>
internal readonly struct MinKernel : IBinaryKernel
{
    public static string Name => "Minimum";
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, d);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, d);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(y, x, d);
}
