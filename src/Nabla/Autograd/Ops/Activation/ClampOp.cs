using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = min(max(x, lo), hi).  dx = dy where lo ≤ x ≤ hi, else 0 (PyTorch passes the gradient at the bounds).</summary>
internal sealed class ClampOp(Tensor x, Tensor y, double lo, double hi) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x, double? min, double? max)
    {
        double lo = min ?? double.NegativeInfinity, hi = max ?? double.PositiveInfinity;
        float lo32 = (float)lo, hi32 = (float)hi;
        return Run("Clamp", x,
            (a, b) => { for (int i = 0; i < b.Length; i++) b[i] = float.IsNaN(a[i]) ? a[i] : MathF.Min(MathF.Max(a[i], lo32), hi32); },
            (a, b) => { for (int i = 0; i < b.Length; i++) b[i] = double.IsNaN(a[i]) ? a[i] : Math.Min(Math.Max(a[i], lo), hi); },
            (a, b) => new ClampOp(a, b, lo, hi));
    }

    protected override bool SavesOutput => false;
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) { float l = (float)lo, h = (float)hi; for (int i = 0; i < dx.Length; i++) dx[i] = x[i] >= l && x[i] <= h ? dy[i] : 0; }
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = x[i] >= lo && x[i] <= hi ? dy[i] : 0; }
}
