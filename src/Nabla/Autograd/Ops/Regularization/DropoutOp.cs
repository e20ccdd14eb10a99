using System.Numerics;
using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Dropout: y = x ⊙ m / (1 − p) with m ~ Bernoulli(1 − p) drawn per element of the mask shape and
/// broadcast over x.  dx = dy ⊙ m / (1 − p).</summary>
/// <remarks>The mask has x's shape for element dropout (<c>F.dropout</c>) or [N, C, 1, …] for channel dropout
/// (<c>F.dropout2d</c>): a whole feature map is kept or zeroed. For p = 1 the kept factor is 0, so y = x·0, as
/// PyTorch computes it. Callers handle p = 0 and evaluation mode, where the input is returned unchanged.</remarks>
internal sealed class DropoutOp : Node
{
    private Tensor? scaledMask;     // mask shape: 0 where dropped, 1/(1 − p) where kept

    private DropoutOp(Tensor x, Tensor scaledMask) : base(x) => this.scaledMask = scaledMask;

    public static Tensor Apply(Tensor x, double p, Generator generator, ReadOnlySpan<int> maskShape)
    {
        var mask = Tensor.Uninitialized(maskShape, x.DType);
        if (x.DType == DType.Float32) Draw<float>(mask.Span<float>(), p, generator);
        else Draw<double>(mask.Span<double>(), p, generator);
        var y = BinaryDriver.Run<MulKernel>(x, mask);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new DropoutOp(x, mask)) : y;
    }

    /// <summary>Each element is kept when u ≥ p for u ~ U[0, 1), which has probability 1 − p.</summary>
    private static void Draw<T>(Span<T> mask, double p, Generator generator) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T kept = p >= 1 ? T.Zero : T.CreateTruncating(1 / (1 - p));
        for (int i = 0; i < mask.Length; i++) mask[i] = generator.NextDouble() >= p ? kept : T.Zero;
    }

    protected internal override void Backward(Tensor dy)
    {
        var mask = scaledMask ?? Throw.InvalidOperation<Tensor>("Dropout: the graph was already backpropagated (pass retainGraph: true to keep it).");
        AddGrad(0, BinaryDriver.Run<MulKernel>(dy, mask));
    }

    protected internal override void ReleaseSaved() => scaledMask = null;
}
