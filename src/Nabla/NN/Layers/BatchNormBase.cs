using System.Globalization;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>What <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> share (PyTorch's <c>_BatchNorm</c>): the
/// affine parameters, the running statistics and the train/eval switch. See <see cref="Functional.BatchNorm"/>.</summary>
/// <remarks>
/// Parameters <c>weight</c> (ones) and <c>bias</c> (zeros) when affine; buffers <c>running_mean</c> (zeros),
/// <c>running_var</c> (ones) and <c>num_batches_tracked</c> (int64 scalar) when tracking, under PyTorch's state-dict
/// names. In training each call normalizes with the batch statistics and moves the running ones toward them with
/// factor momentum, or by the cumulative average 1/num_batches_tracked when momentum is null; in evaluation the
/// running statistics are used. Without tracking, batch statistics are used in both modes.
/// </remarks>
public abstract class BatchNormBase : Module<Tensor, Tensor>
{
    /// <summary>Number of channels C.</summary>
    public int NumFeatures { get; }
    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }
    /// <summary>Running-statistics factor, or null for a cumulative average.</summary>
    public double? Momentum { get; }
    /// <summary>Whether γ and β are learned.</summary>
    public bool Affine { get; }
    /// <summary>Whether running statistics are kept.</summary>
    public bool TrackRunningStats { get; }

    /// <summary>γ [C] (ones), or null without affine.</summary>
    public Parameter? Weight { get; }
    /// <summary>β [C] (zeros), or null without affine.</summary>
    public Parameter? Bias { get; }
    /// <summary>Running mean [C] (zeros), or null without tracking.</summary>
    public Tensor? RunningMean { get; }
    /// <summary>Running unbiased variance [C] (ones), or null without tracking.</summary>
    public Tensor? RunningVar { get; }
    /// <summary>Training batches seen (int64 scalar), or null without tracking.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Creates the parameters and buffers (PyTorch's argument order and defaults).</summary>
    protected BatchNormBase(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numFeatures, 1);
        (NumFeatures, Eps, Momentum, Affine, TrackRunningStats) = (numFeatures, eps, momentum, affine, trackRunningStats);
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numFeatures]));
            Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures]));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures]));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures]));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0, DType.Int64));
        }
    }

    /// <summary>The input ranks this layer accepts, for <see cref="Forward"/>'s check and its message.</summary>
    private protected abstract bool AcceptsRank(int rank);

    /// <summary>The shapes accepted, e.g. "2-D [N, C] or 3-D [N, C, L]".</summary>
    private protected abstract string ExpectedShape { get; }

    /// <summary>Running statistics back to zeros and ones, the batch count to 0.</summary>
    public void ResetRunningStats()
    {
        if (RunningMean is null || RunningVar is null || NumBatchesTracked is null) return;
        Init.Zeros(RunningMean);
        Init.Ones(RunningVar);
        NumBatchesTracked.Span<long>()[0] = 0;
        NumBatchesTracked.Storage.Version++;
    }

    /// <summary>Resets the running statistics and γ = 1, β = 0.</summary>
    public void ResetParameters()
    {
        ResetRunningStats();
        if (Weight is not null) Init.Ones(Weight);
        if (Bias is not null) Init.Zeros(Bias);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AcceptsRank(input.Dim))
            throw new ShapeMismatchException(Describe(), ExpectedShape, ShapeUtil.Format(input.ShapeSpan),
                $"{Describe()}: expected a {ExpectedShape} input; got {ShapeUtil.Format(input.ShapeSpan)} ({input.Dim}-D).");
        if (input.Shape[1] != NumFeatures)
            throw new ShapeMismatchException(Describe(), $"{NumFeatures} channels", input.Shape[1].ToString(CultureInfo.InvariantCulture),
                $"{Describe()}: input {ShapeUtil.Format(input.ShapeSpan)} has {input.Shape[1]} channels in dimension 1; expected {NumFeatures}.");
        double factor = Momentum ?? 0;
        if (Training && NumBatchesTracked is not null)
        {
            // num_batches_tracked += 1 before the update, as PyTorch counts it.
            NumBatchesTracked.Span<long>()[0]++;
            NumBatchesTracked.Storage.Version++;
            if (Momentum is null) factor = 1.0 / NumBatchesTracked.Span<long>()[0];
        }
        bool batchStatistics = Training || RunningMean is null;
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, batchStatistics, factor, Eps);
    }

    /// <inheritdoc/>
    public override string Describe() =>
        $"{GetType().Name}({NumFeatures}, eps={Python(Eps)}, momentum={(Momentum is { } m ? Python(m) : "None")}, affine={Python(Affine)}, track_running_stats={Python(TrackRunningStats)})";

    private static string Python(double v) => v.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();

    private static string Python(bool v) => v ? "True" : "False";
}
