using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>A batch of variable-length sequences (PyTorch's <c>PackedSequence</c>), made by
/// <see cref="RnnUtils.PackPaddedSequence(Tensor, int[], bool, bool)"/> and accepted by <see cref="RNN"/>,
/// <see cref="LSTM"/> and <see cref="GRU"/>.</summary>
/// <remarks>
/// PyTorch stores the steps packed ([Σ lengths, *], time step by time step); Nabla keeps the padded time-major tensor
/// and the lengths, because its recurrence masks padded steps instead of shrinking the batch as it goes. The packed
/// layout is still available as <see cref="Data"/> with <see cref="BatchSizes"/>, in PyTorch's order.
/// </remarks>
public sealed class PackedSequence
{
    private readonly int[] lengths;

    internal PackedSequence(Tensor paddedTimeMajor, int[] lengths) => (Padded, this.lengths) = (paddedTimeMajor, lengths);

    /// <summary>The sequences padded to the longest, time-major [T, B, *]; padded steps hold zeros after an RNN.</summary>
    public Tensor Padded { get; }

    /// <summary>Each sequence's length, int64 [B].</summary>
    public Tensor Lengths => Tensor.FromArray(Array.ConvertAll(lengths, l => (long)l), [lengths.Length]);

    /// <summary>Each sequence's length.</summary>
    public IReadOnlyList<int> LengthList => lengths;

    /// <summary>How many sequences are still running at each time step (PyTorch's batch_sizes), int64 [T].</summary>
    public Tensor BatchSizes
    {
        get
        {
            int steps = Padded.shape[0];
            var sizes = new long[steps];
            for (int t = 0; t < steps; t++) sizes[t] = lengths.Count(l => l > t);
            return Tensor.FromArray(sizes, [steps]);
        }
    }

    /// <summary>The real steps only, [Σ lengths, *], time step by time step and, within a step, in batch order
    /// (PyTorch's packed data for a batch sorted by decreasing length). Differentiable.</summary>
    public Tensor Data
    {
        get
        {
            int steps = Padded.shape[0], batch = Padded.shape[1];
            var index = new List<long>();
            for (int t = 0; t < steps; t++)
                for (int b = 0; b < batch; b++)
                    if (t < lengths[b]) index.Add((long)t * batch + b);
            var flat = Padded.Reshape([steps * batch, .. Padded.shape.AsSpan(2)]);
            return flat.IndexSelect(0, Tensor.FromArray(index.ToArray(), [index.Count]));
        }
    }

    internal int[] LengthsArray() => lengths;

    /// <summary>The same lengths around another padded time-major tensor (an RNN's output).</summary>
    internal PackedSequence WithPadded(Tensor paddedTimeMajor) => new(paddedTimeMajor, lengths);
}
