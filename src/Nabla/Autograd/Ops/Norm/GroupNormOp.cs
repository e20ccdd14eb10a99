using System.Numerics;
using Nabla.Kernels.Norm;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Group normalization (PyTorch's group_norm) of x [N, C, *] with G groups: μ, the biased σ² and
/// rstd = 1/√(σ² + eps) over each sample's C/G channels × all positions, then y = (x − μ)·rstd·γ_c + β_c.
/// Backward: the layer-norm gradient per (sample, group) block, with γ constant per channel
/// (see <see cref="GroupNormKernel"/> and docs/derivations/layer-norm.md).</summary>
internal sealed class GroupNormOp : AffineNormOp
{
    private readonly int n, c, s, groups;

    private GroupNormOp(Tensor x, Tensor? weight, Tensor? bias, Tensor mean, Tensor rstd, int groups)
        : base(x, weight, bias, mean, rstd)
    {
        this.groups = groups;
        (n, c, s) = (x.shape[0], x.shape[1], NormArgs.Product(x.shape, 2));
    }

    public static Tensor Apply(Tensor x, int numGroups, Tensor? weight, Tensor? bias, double eps, string op = "GroupNorm")
    {
        NormArgs.CheckInput(op, x);
        if (x.Dim < 2)
            Throw.Shape(op, "[N, C, *]", ShapeUtil.Format(x.shape), $"{op}: input must have at least 2 dimensions [N, C, *]; got {ShapeUtil.Format(x.shape)}.");
        int n = x.shape[0], c = x.shape[1], s = NormArgs.Product(x.shape, 2);
        if (numGroups < 1 || c % numGroups != 0)
            Throw.Argument($"{op}: the {c} channels of input {ShapeUtil.Format(x.shape)} must be divisible by num_groups {numGroups}.");
        ReadOnlySpan<int> channels = [c];
        NormArgs.CheckVector(op, "weight", weight, x, channels);
        NormArgs.CheckVector(op, "bias", bias, x, channels);
        var xc = x.ContiguousRaw();
        var y = Tensor.Uninitialized(x.shape, x.DType);
        var mean = Tensor.Uninitialized([n * numGroups], x.DType);
        var rstd = Tensor.Uninitialized([n * numGroups], x.DType);
        if (x.DType == DType.Float32) Forward<float>(xc, weight, bias, y, mean, rstd, n, c, s, numGroups, eps);
        else Forward<double>(xc, weight, bias, y, mean, rstd, n, c, s, numGroups, eps);
        bool record = Graph.ShouldRecord(NormArgs.Inputs(x, weight, bias));
        return record ? Graph.Record(y, new GroupNormOp(xc, weight, bias, mean, rstd, numGroups)) : y;
    }

    private static void Forward<T>(Tensor x, Tensor? weight, Tensor? bias, Tensor y, Tensor mean, Tensor rstd, int n, int c, int s, int groups, double eps)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        GroupNormKernel.Forward(x.Span<T>(), weight is null ? default : weight.ContiguousRaw().Span<T>(), bias is null ? default : bias.ContiguousRaw().Span<T>(),
            y.Span<T>(), mean.Span<T>(), rstd.Span<T>(), n, c, s, groups, eps);

    protected override void KernelBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd,
        ReadOnlySpan<T> weight, Span<T> dx, Span<T> dWeight, Span<T> dBias) =>
        GroupNormKernel.Backward(x, dy, mean, rstd, weight, dx, dWeight, dBias, n, c, s, groups);
}
