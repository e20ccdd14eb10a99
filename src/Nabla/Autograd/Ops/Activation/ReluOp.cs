using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = max(x, 0).  dx = dy where y &gt; 0, else 0.</summary>
internal sealed class ReluOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Relu", x, static (s, d) => TensorPrimitives.Max(s, 0f, d), static (s, d) => TensorPrimitives.Max(s, 0d, d), (a, b) => new ReluOp(a, b));
    protected override bool SavesOutput => true;
    protected override void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => Mask(y, dy, dx);
    protected override void Backward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx) => Mask(y, dy, dx);

    /// <summary>dx = y &gt; 0 ? dy : 0 as a branch-free vector select: signs of activations are random, so a branch
    /// mispredicts about half the time (measured 20× slower on [128, 512]).</summary>
    private static void Mask<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (KernelOptions.SimdEnabled && Vector.IsHardwareAccelerated)
        {
            int w = Vector<T>.Count;
            for (; i <= y.Length - w; i += w)
            {
                var positive = Vector.GreaterThan(new Vector<T>(y.Slice(i, w)), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, new Vector<T>(dy.Slice(i, w)), Vector<T>.Zero).CopyTo(dx.Slice(i, w));
            }
        }
        for (; i < y.Length; i++) dx[i] = y[i] > T.Zero ? dy[i] : T.Zero;
    }
}
