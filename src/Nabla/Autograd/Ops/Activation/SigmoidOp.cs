using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = σ(x) = 1 / (1 + e⁻ˣ).  dx = dy·y·(1 − y).</summary>
internal sealed class SigmoidOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Sigmoid", x, TensorPrimitives.Sigmoid, TensorPrimitives.Sigmoid, (a, b) => new SigmoidOp(a, b));
    protected override bool SavesOutput => true;
    protected override void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]); }
    protected override void Backward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]); }
}
