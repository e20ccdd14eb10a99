using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels.Elementwise;

/// <summary>tanh over a span, vectorized, and accurate near zero.</summary>
/// <remarks>
/// TensorPrimitives.Tanh evaluates tanh through exponentials, (e^{2x} − 1)/(e^{2x} + 1), which cancels
/// catastrophically for small |x|: in float32 it returns −5.96e-8 for tanh(1e-20) (the wrong sign), 0 for 1e-8 and a
/// 0.5% error at 1e-5; in float64 0 for 1e-20. A network with small weights or pre-activations near 0 then loses the
/// identity tanh x ≈ x that its gradients rely on. Here every element with |x| &lt; 0.05 is recomputed from the Taylor
/// series tanh x = x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 − 1382x¹¹/155925, whose first omitted term is below
/// 1e-18 relative at |x| = 0.05, so both precisions round correctly or nearly so. The input is copied block by block
/// to the stack first, so the input and output may be the same span (in-place).
/// </remarks>
internal static class AccurateTanh
{
    /// <summary>Below this magnitude the series replaces the vectorized result.</summary>
    public const double SeriesLimit = 0.05;

    private const int Block = 256;

    /// <summary>y = tanh(x) element-wise; x and y may be the same span.</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length != y.Length) throw new ArgumentException($"tanh: input of {x.Length} elements and output of {y.Length}; expected equal lengths", nameof(y));
        Span<T> copy = stackalloc T[Block];
        T limit = T.CreateTruncating(SeriesLimit);
        for (int start = 0; start < x.Length; start += Block)
        {
            int count = Math.Min(Block, x.Length - start);
            var input = copy[..count];
            x.Slice(start, count).CopyTo(input);
            var output = y.Slice(start, count);
            TensorPrimitives.Tanh(input, output);
            for (int i = 0; i < count; i++)
                if (T.Abs(input[i]) < limit) output[i] = Series(input[i]);
        }
    }

    /// <summary>The Taylor series of tanh about 0 through x¹¹, in Horner form over x².</summary>
    public static T Series<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T x2 = x * x;
        T p = T.CreateTruncating(-1382.0 / 155925.0);
        p = p * x2 + T.CreateTruncating(62.0 / 2835.0);
        p = p * x2 + T.CreateTruncating(-17.0 / 315.0);
        p = p * x2 + T.CreateTruncating(2.0 / 15.0);
        p = p * x2 + T.CreateTruncating(-1.0 / 3.0);
        return x + x * x2 * p;
    }
}
