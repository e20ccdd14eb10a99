using System.Numerics;
using Nabla.Kernels;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x for x &gt; 0, else slope·x.  dx = dy for x &gt; 0, else slope·dy.</summary>
internal sealed class LeakyReluOp(Tensor x, Tensor y, double slope) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x, double slope)
    {
        float s32 = (float)slope;
        return Run("LeakyRelu", x,
            (a, b) => Select(a, a, s32, b),
            (a, b) => Select(a, a, slope, b),
            (a, b) => new LeakyReluOp(a, b, slope));
    }

    protected override bool SavesOutput => false;
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) => Select(x, dy, (float)slope, dx);
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) => Select(x, dy, slope, dx);

    /// <summary>d = x &gt; 0 ? v : slope·v, as a branch-free vector select (the forward with v = x, the backward with v = dy):
    /// activations' signs are random, so a branch mispredicts about half the time, as <see cref="ReluOp"/>'s mask notes
    /// (the scalar loop took 2 ms on the DCGAN discriminator's [64, 64, 14, 14]).</summary>
    private static void Select<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> v, T slope, Span<T> d) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (KernelOptions.SimdEnabled && Vector.IsHardwareAccelerated)
        {
            int w = Vector<T>.Count;
            var s = new Vector<T>(slope);
            for (; i <= x.Length - w; i += w)
            {
                var positive = Vector.GreaterThan(new Vector<T>(x.Slice(i, w)), Vector<T>.Zero);
                var value = new Vector<T>(v.Slice(i, w));
                Vector.ConditionalSelect(positive, value, value * s).CopyTo(d.Slice(i, w));
            }
        }
        for (; i < x.Length; i++) d[i] = x[i] > T.Zero ? v[i] : slope * v[i];
    }
}
