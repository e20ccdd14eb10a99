using System.Collections;
using Nabla.Data.Transforms;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>Iterates a <see cref="TensorDataset"/> in mini-batches (<c>torch.utils.data.DataLoader</c>).</summary>
/// <remarks>With <see cref="Shuffle"/>, each enumeration (epoch) visits the samples in a new random order. Without a
/// <see cref="Seed"/> the order is drawn from the generator, interleaved with whatever else draws from it. With one, the
/// order of epoch e is a function of (seed, e) alone, as <c>DistributedSampler.set_epoch</c> makes it in PyTorch, so a
/// resumed run re-creates an epoch's order and skips the batches it has done (<see cref="Batches"/>). The last partial
/// batch is kept unless <see cref="DropLast"/>. A <see cref="Transform"/> is applied to each batch's inputs (augmentation
/// of images [B, C, H, W]); its random draws come from the generator, or with a seed from (seed, epoch, batch), so
/// a resumed epoch augments its remaining batches as the uninterrupted run did. Targets pass unchanged.</remarks>
public sealed class DataLoader : IEnumerable<(Tensor Input, Tensor Target)>
{
    private readonly TensorDataset dataset;
    private readonly Generator generator;
    private int nextEpoch;

    /// <summary>Creates the loader.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="shuffle">Visit the samples in a new random order each epoch.</param>
    /// <param name="dropLast">Skip a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <param name="generator">Draws the shuffled orders when no <paramref name="seed"/> is given; <see cref="Generator.Default"/> if null.</param>
    /// <param name="seed">Makes epoch e's order a function of (seed, e), independent of every generator.</param>
    /// <param name="transform">Applied to each batch's inputs, or null for none.</param>
    public DataLoader(TensorDataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, Generator? generator = null, long? seed = null,
        Transform? transform = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (generator is not null && seed is not null)
            throw new ArgumentException("DataLoader: give a generator or a seed for the shuffled order, not both.", nameof(seed));
        this.dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Seed = seed;
        Transform = transform;
        this.generator = generator ?? Generator.Default;
    }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last batch smaller than <see cref="BatchSize"/> is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>The seed that fixes each epoch's order, or null when orders are drawn from the generator.</summary>
    public long? Seed { get; }

    /// <summary>The transform applied to each batch's inputs, or null.</summary>
    public Transform? Transform { get; }

    /// <summary>Number of batches per epoch (<c>len(loader)</c>).</summary>
    public int Count => DropLast ? dataset.Count / BatchSize : (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The dataset.</summary>
    public TensorDataset Dataset => dataset;

    /// <summary>The batches of epoch <paramref name="epoch"/> from batch <paramref name="startBatch"/> (0-based) on.</summary>
    /// <remarks>The order depends only on (<see cref="Seed"/>, <paramref name="epoch"/>): asking again for the same epoch
    /// gives the same batches, and skipped batches are never gathered. A shuffled loader needs a seed for this.</remarks>
    /// <exception cref="InvalidOperationException">The loader shuffles but has no seed.</exception>
    public IEnumerable<(Tensor Input, Tensor Target)> Batches(int epoch, int startBatch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(startBatch, Count);
        if (Shuffle && Seed is null)
            throw new InvalidOperationException("DataLoader.Batches: a shuffled loader needs a seed (new DataLoader(..., seed: N)) for its order to be a function of the epoch.");
        long? epochSeed = Seed is long seed ? EpochSeed(seed, epoch) : null;
        return Enumerate(epochSeed is long e ? new Generator(e) : null, startBatch, epochSeed);
    }

    /// <inheritdoc/>
    /// <remarks>With a <see cref="Seed"/>, the n-th enumeration (from 0) is <see cref="Batches"/>(n).</remarks>
    public IEnumerator<(Tensor Input, Tensor Target)> GetEnumerator() =>
        Seed is null ? Enumerate(Shuffle ? generator : null, 0, null).GetEnumerator() : Batches(nextEpoch++).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The order is drawn when enumeration starts (lazily), so a loader enumerated once per epoch draws once per epoch.
    private IEnumerable<(Tensor Input, Tensor Target)> Enumerate(Generator? shuffleWith, int startBatch, long? epochSeed)
    {
        int n = dataset.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (Shuffle && shuffleWith is not null)
        {
            for (int i = n - 1; i > 0; i--)   // Fisher–Yates
            {
                int j = (int)shuffleWith.NextInt64(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        for (int start = startBatch * BatchSize; start < n; start += BatchSize)
        {
            int size = Math.Min(BatchSize, n - start);
            if (size < BatchSize && DropLast) yield break;
            var (input, target) = dataset.GetBatch(order.AsSpan(start, size));
            if (Transform is not null)
                input = Transform.Apply(input, epochSeed is long e ? new Generator(EpochSeed(e, start / BatchSize)) : generator);
            yield return (input, target);
        }
    }

    // Seeds of neighbouring (seed, epoch) pairs must give unrelated streams: mix both through the SplitMix64 finalizer.
    private static long EpochSeed(long seed, int epoch) => (long)Mix(Mix((ulong)seed) ^ (ulong)(uint)epoch);

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
