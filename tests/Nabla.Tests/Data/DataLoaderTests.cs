using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Tests.Data;

/// <summary>Seeded loaders: each epoch's order is a function of (seed, epoch), so a resumed run can re-create it and
/// skip the batches it has done.</summary>
public sealed class DataLoaderTests
{
    private static TensorDataset Numbers(int n) =>
        new(Tensor.Arange(0, n, dtype: DType.Float32).Unsqueeze(1), Tensor.Arange(0, n, dtype: DType.Int64));

    private static long[][] Targets(IEnumerable<(Tensor Input, Tensor Target)> batches) => [.. batches.Select(b => b.Target.ToArray<long>())];

    [Fact]
    public void Batches_WithASeed_DependOnlyOnSeedAndEpoch()
    {
        var data = Numbers(23);
        var a = new DataLoader(data, 5, shuffle: true, seed: 3);
        var b = new DataLoader(data, 5, shuffle: true, seed: 3);
        _ = Targets(b.Batches(0));   // another epoch first: no effect on epoch 2

        Assert.Equal(Targets(a.Batches(2)), Targets(b.Batches(2)));
        Assert.Equal(Targets(a.Batches(2)), Targets(a.Batches(2)));
        Assert.NotEqual(Targets(a.Batches(1)), Targets(a.Batches(2)));
        Assert.NotEqual(Targets(a.Batches(2)), Targets(new DataLoader(data, 5, shuffle: true, seed: 4).Batches(2)));

        var all = Targets(a.Batches(2)).SelectMany(t => t).Order();
        Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), all);
        Assert.Equal([5, 5, 5, 5, 3], Targets(a.Batches(2)).Select(t => t.Length));
    }

    [Fact]
    public void Batches_FromAStartBatch_AreTheTailOfTheEpoch()
    {
        var loader = new DataLoader(Numbers(23), 5, shuffle: true, dropLast: true, seed: 9);
        var full = Targets(loader.Batches(4));
        Assert.Equal(4, full.Length);
        Assert.Equal(full[3..], Targets(loader.Batches(4, startBatch: 3)));
        Assert.Empty(Targets(loader.Batches(4, startBatch: 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.Batches(4, startBatch: 5));
    }

    [Fact]
    public void Enumerating_ASeededLoader_WalksEpochsZeroOneTwo()
    {
        var loader = new DataLoader(Numbers(12), 4, shuffle: true, seed: 1);
        var reference = new DataLoader(Numbers(12), 4, shuffle: true, seed: 1);
        for (int epoch = 0; epoch < 3; epoch++) Assert.Equal(Targets(reference.Batches(epoch)), Targets(loader));
    }

    [Fact]
    public void Batches_OfAShuffledLoaderWithoutASeed_AreRefused()
    {
        var loader = new DataLoader(Numbers(4), 2, shuffle: true, generator: new Generator(1));
        var e = Assert.Throws<InvalidOperationException>(() => loader.Batches(0));
        Assert.Contains("needs a seed", e.Message, StringComparison.Ordinal);
        Assert.Equal([[0L, 1], [2, 3]], Targets(new DataLoader(Numbers(4), 2).Batches(7)));   // unshuffled: always in order
        Assert.Throws<ArgumentException>(() => new DataLoader(Numbers(4), 2, shuffle: true, generator: new Generator(1), seed: 2));
    }

    [Fact]
    public void Enumerating_WithAGenerator_DrawsEachEpochsOrderFromIt()
    {
        var a = new DataLoader(Numbers(10), 10, shuffle: true, generator: new Generator(5));
        var b = new DataLoader(Numbers(10), 10, shuffle: true, generator: new Generator(5));
        var first = Targets(a);
        Assert.Equal(first, Targets(b));
        Assert.NotEqual(first, Targets(a));
    }
}
