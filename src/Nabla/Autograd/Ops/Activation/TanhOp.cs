using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = tanh(x) (<see cref="AccurateTanh"/>: vectorized, with the series near 0).  dx = dy·(1 − y²), so backward keeps only the output.</summary>
internal sealed class TanhOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Tanh", x, AccurateTanh.Apply<float>, AccurateTanh.Apply<double>, (a, b) => new TanhOp(a, b));
    protected override bool SavesOutput => true;
    protected override void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]); }
    protected override void Backward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]); }
}
