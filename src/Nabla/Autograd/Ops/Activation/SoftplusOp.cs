using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = (1/β)·ln(1 + e^(βx)), and y = x where βx &gt; threshold (PyTorch's linear region).
/// dx = dy·σ(βx) (and dy in the linear region).</summary>
internal sealed class SoftplusOp(Tensor x, Tensor y, double beta, double threshold) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x, double beta, double threshold)
    {
        float b32 = (float)beta, t32 = (float)threshold;
        return Run("Softplus", x,
            (a, b) => { for (int i = 0; i < b.Length; i++) { float z = b32 * a[i]; b[i] = z > t32 ? a[i] : (MathF.Max(z, 0) + MathF.Log(1 + MathF.Exp(-MathF.Abs(z)))) / b32; } },
            (a, b) => { for (int i = 0; i < b.Length; i++) { double z = beta * a[i]; b[i] = z > threshold ? a[i] : (Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)))) / beta; } },
            (a, b) => new SoftplusOp(a, b, beta, threshold));
    }

    protected override bool SavesOutput => false;
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) { float b = (float)beta, t = (float)threshold; for (int i = 0; i < dx.Length; i++) { float z = b * x[i]; dx[i] = z > t ? dy[i] : dy[i] / (1 + MathF.Exp(-z)); } }
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) { double z = beta * x[i]; dx[i] = z > threshold ? dy[i] : dy[i] / (1 + Math.Exp(-z)); } }
}
