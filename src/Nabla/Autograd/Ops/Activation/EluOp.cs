using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x for x &gt; 0, else α(eˣ − 1).  dx = dy for x &gt; 0, else dy·(y + α).</summary>
internal sealed class EluOp(Tensor x, Tensor y, double alpha) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x, double alpha)
    {
        float a32 = (float)alpha;
        return Run("Elu", x,
            (a, b) => { for (int i = 0; i < b.Length; i++) b[i] = a[i] > 0 ? a[i] : a32 * (MathF.Exp(a[i]) - 1); },
            (a, b) => { for (int i = 0; i < b.Length; i++) b[i] = a[i] > 0 ? a[i] : alpha * (Math.Exp(a[i]) - 1); },
            (a, b) => new EluOp(a, b, alpha));
    }

    protected override bool SavesOutput => false;

    // x decides the branch; for x ≤ 0 the derivative αeˣ equals y + α, recomputed here from x to stay exact.
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) { float a = (float)alpha; for (int i = 0; i < dx.Length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * a * MathF.Exp(x[i]); }
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * alpha * Math.Exp(x[i]); }
}
