using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x for x &gt; 0, else slope·x.  dx = dy for x &gt; 0, else slope·dy.</summary>
internal sealed class LeakyReluOp(Tensor x, Tensor y, double slope) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x, double slope)
    {
        float s32 = (float)slope;
        return Run("LeakyRelu", x,
            (a, b) => { for (int i = 0; i < b.Length; i++) b[i] = a[i] > 0 ? a[i] : s32 * a[i]; },
            (a, b) => { for (int i = 0; i < b.Length; i++) b[i] = a[i] > 0 ? a[i] : slope * a[i]; },
            (a, b) => new LeakyReluOp(a, b, slope));
    }

    protected override bool SavesOutput => false;
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) { float s = (float)slope; for (int i = 0; i < dx.Length; i++) dx[i] = x[i] > 0 ? dy[i] : s * dy[i]; }
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = x[i] > 0 ? dy[i] : slope * dy[i]; }
}
