using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = max(x, 0).  dx = dy where y &gt; 0, else 0.</summary>
internal sealed class ReluOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Relu", x, static (s, d) => TensorPrimitives.Max(s, 0f, d), static (s, d) => TensorPrimitives.Max(s, 0d, d), (a, b) => new ReluOp(a, b));
    protected override bool SavesOutput => true;
    protected override void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = y[i] > 0 ? dy[i] : 0; }
    protected override void Backward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = y[i] > 0 ? dy[i] : 0; }
}
