using System.Numerics;
using Nabla.Kernels.Norm;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Batch normalization (PyTorch's batch_norm) of x [N, C, *]: y = (x − μ_c)·rstd_c·γ_c + β_c with
/// rstd = 1/√(σ²_c + eps). With batch statistics (training) μ and the biased σ² are taken over the N·S values of each
/// channel, and the running statistics, when given, move toward them in place: r ← (1 − m)·r + m·stat, using the
/// unbiased variance σ²·M/(M − 1). Otherwise the running statistics are used as constants.
/// Backward (docs/derivations/batch-norm.md): dγ = Σ dy·x̂, dβ = Σ dy, and with batch statistics
/// dx = (γ·rstd/M)·(M·dy − Σdy − x̂·Σ dy·x̂), else dx = γ·rstd·dy.</summary>
internal sealed class BatchNormOp : AffineNormOp
{
    private readonly bool batchStatistics;
    private readonly int n, c, s;

    private BatchNormOp(Tensor x, Tensor? weight, Tensor? bias, Tensor mean, Tensor rstd, bool batchStatistics)
        : base(x, weight, bias, mean, rstd)
    {
        this.batchStatistics = batchStatistics;
        (n, c, s) = (x.shape[0], x.shape[1], NormArgs.Product(x.shape, 2));
    }

    public static Tensor Apply(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum, double eps, string op = "BatchNorm")
    {
        NormArgs.CheckInput(op, x);
        if (x.Dim < 2)
            Throw.Shape(op, "[N, C, *]", ShapeUtil.Format(x.shape), $"{op}: input must have at least 2 dimensions [N, C, *]; got {ShapeUtil.Format(x.shape)}.");
        int n = x.shape[0], c = x.shape[1], s = NormArgs.Product(x.shape, 2);
        ReadOnlySpan<int> channels = [c];
        NormArgs.CheckVector(op, "weight", weight, x, channels);
        NormArgs.CheckVector(op, "bias", bias, x, channels);
        NormArgs.CheckVector(op, "running_mean", runningMean, x, channels);
        NormArgs.CheckVector(op, "running_var", runningVar, x, channels);
        long count = (long)n * s;
        if (training && count <= 1)
            Throw.Argument($"{op}: expected more than 1 value per channel when training; got input {ShapeUtil.Format(x.shape)}.");
        if (!training && (runningMean is null || runningVar is null))
            Throw.Argument($"{op}: running_mean and running_var are required when not training (batch statistics are used only in training).");

        var xc = x.ContiguousRaw();
        var y = Tensor.Uninitialized(x.shape, x.DType);
        var mean = Tensor.Uninitialized(channels, x.DType);
        var rstd = Tensor.Uninitialized(channels, x.DType);
        if (x.DType == DType.Float32) Forward<float>(xc, runningMean, runningVar, weight, bias, y, mean, rstd, training, momentum, eps, n, c, s);
        else Forward<double>(xc, runningMean, runningVar, weight, bias, y, mean, rstd, training, momentum, eps, n, c, s);
        bool record = Graph.ShouldRecord(NormArgs.Inputs(x, weight, bias));
        return record ? Graph.Record(y, new BatchNormOp(xc, weight, bias, mean, rstd, training)) : y;
    }

    private static void Forward<T>(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias, Tensor y, Tensor mean, Tensor rstd,
        bool training, double momentum, double eps, int n, int c, int s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = mean.Span<T>();
        var r = rstd.Span<T>();
        if (training)
        {
            BatchNormKernel.Statistics(x.Span<T>(), m, r, n, c, s);   // r holds the biased variance for now
            double count = (double)n * s;
            if (runningMean is not null) UpdateRunning<T>(runningMean, m, momentum, 1);
            if (runningVar is not null) UpdateRunning<T>(runningVar, r, momentum, count / (count - 1));
        }
        else
        {
            runningMean!.ContiguousRaw().Span<T>().CopyTo(m);   // checked above: both given when not training
            runningVar!.ContiguousRaw().Span<T>().CopyTo(r);
        }
        for (int i = 0; i < c; i++) r[i] = T.CreateTruncating(1 / Math.Sqrt(double.CreateTruncating(r[i]) + eps));
        BatchNormKernel.Normalize(x.Span<T>(), m, r, weight is null ? default : weight.ContiguousRaw().Span<T>(),
            bias is null ? default : bias.ContiguousRaw().Span<T>(), y.Span<T>(), n, c, s);
    }

    /// <summary>running ← (1 − momentum)·running + momentum·stat·correction, in place (the buffer's version moves on).</summary>
    private static void UpdateRunning<T>(Tensor running, ReadOnlySpan<T> stat, double momentum, double correction) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var target = running.ContiguousRaw();
        var values = target.Span<T>();
        for (int i = 0; i < values.Length; i++)
            values[i] = T.CreateTruncating((1 - momentum) * double.CreateTruncating(values[i]) + momentum * double.CreateTruncating(stat[i]) * correction);
        if (!ReferenceEquals(target, running)) running.CopyFromRaw(target);
        running.Storage.Version++;
    }

    protected override void KernelBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd,
        ReadOnlySpan<T> weight, Span<T> dx, Span<T> dWeight, Span<T> dBias) =>
        BatchNormKernel.Backward(x, dy, mean, rstd, weight, dx, dWeight, dBias, n, c, s, batchStatistics);
}
