using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = −x.  dx = −dy.</summary>
internal sealed class NegOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Neg", x, TensorPrimitives.Negate, TensorPrimitives.Negate, (a, b) => new NegOp(a, b));
    protected override bool SavesOutput => true;
    protected override void Backward(ReadOnlySpan<float> s, ReadOnlySpan<float> dy, Span<float> dx) => TensorPrimitives.Negate(dy, dx);
    protected override void Backward(ReadOnlySpan<double> s, ReadOnlySpan<double> dy, Span<double> dx) => TensorPrimitives.Negate(dy, dx);
}

/// <summary>y = eˣ.  dx = dy·y.</summary>
internal sealed class ExpOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Exp", x, TensorPrimitives.Exp, TensorPrimitives.Exp, (a, b) => new ExpOp(a, b));
    protected override bool SavesOutput => true;
    protected override void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => TensorPrimitives.Multiply(dy, y, dx);
    protected override void Backward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx) => TensorPrimitives.Multiply(dy, y, dx);
}

/// <summary>y = ln x.  dx = dy / x.</summary>
internal sealed class LogOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Log", x, TensorPrimitives.Log, TensorPrimitives.Log, (a, b) => new LogOp(a, b));
    protected override bool SavesOutput => false;
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) => TensorPrimitives.Divide(dy, x, dx);
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) => TensorPrimitives.Divide(dy, x, dx);
}

/// <summary>y = √x.  dx = dy / (2y).</summary>
internal sealed class SqrtOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Sqrt", x, TensorPrimitives.Sqrt, TensorPrimitives.Sqrt, (a, b) => new SqrtOp(a, b));
    protected override bool SavesOutput => true;
    protected override void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] / (2 * y[i]); }
    protected override void Backward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] / (2 * y[i]); }
}

/// <summary>y = |x|.  dx = dy·sign(x) (0 at x = 0, as in PyTorch).</summary>
internal sealed class AbsOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Abs", x, TensorPrimitives.Abs, TensorPrimitives.Abs, (a, b) => new AbsOp(a, b));
    protected override bool SavesOutput => false;
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = x[i] > 0 ? dy[i] : x[i] < 0 ? -dy[i] : 0; }
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = x[i] > 0 ? dy[i] : x[i] < 0 ? -dy[i] : 0; }
}

/// <summary>y = sin x.  dx = dy·cos x.</summary>
internal sealed class SinOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Sin", x, TensorPrimitives.Sin, TensorPrimitives.Sin, (a, b) => new SinOp(a, b));
    protected override bool SavesOutput => false;
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * MathF.Cos(x[i]); }
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * Math.Cos(x[i]); }
}

/// <summary>y = cos x.  dx = −dy·sin x.</summary>
internal sealed class CosOp(Tensor x, Tensor y) : UnaryOp(x, y)
{
    public static Tensor Apply(Tensor x) => Run("Cos", x, TensorPrimitives.Cos, TensorPrimitives.Cos, (a, b) => new CosOp(a, b));
    protected override bool SavesOutput => false;
    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = -dy[i] * MathF.Sin(x[i]); }
    protected override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) { for (int i = 0; i < dx.Length; i++) dx[i] = -dy[i] * Math.Sin(x[i]); }
}
