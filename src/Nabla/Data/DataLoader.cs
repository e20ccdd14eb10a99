using System.Collections;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>Iterates a <see cref="TensorDataset"/> in mini-batches (<c>torch.utils.data.DataLoader</c>).</summary>
/// <remarks>With <see cref="Shuffle"/>, each enumeration (epoch) draws a new permutation from the generator,
/// so one seed reproduces the order of every epoch. The last partial batch is kept unless <see cref="DropLast"/>.</remarks>
public sealed class DataLoader : IEnumerable<(Tensor Input, Tensor Target)>
{
    private readonly TensorDataset dataset;
    private readonly Generator generator;
    private readonly int[] order;

    /// <summary>Creates the loader.</summary>
    public DataLoader(TensorDataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        this.generator = generator ?? Generator.Default;
        order = new int[dataset.Count];
    }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last batch smaller than <see cref="BatchSize"/> is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Number of batches per epoch (<c>len(loader)</c>).</summary>
    public int Count => DropLast ? dataset.Count / BatchSize : (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The dataset.</summary>
    public TensorDataset Dataset => dataset;

    /// <inheritdoc/>
    public IEnumerator<(Tensor Input, Tensor Target)> GetEnumerator()
    {
        int n = dataset.Count;
        for (int i = 0; i < n; i++) order[i] = i;
        if (Shuffle)
        {
            for (int i = n - 1; i > 0; i--)   // Fisher–Yates
            {
                int j = (int)generator.NextInt64(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        for (int start = 0; start < n; start += BatchSize)
        {
            int size = Math.Min(BatchSize, n - start);
            if (size < BatchSize && DropLast) yield break;
            yield return dataset.GetBatch(order.AsSpan(start, size));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
