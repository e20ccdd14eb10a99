namespace Nabla.Data;

/// <summary>A collection of samples addressed by index (<c>torch.utils.data.Dataset</c>).</summary>
/// <typeparam name="T">The sample type.</typeparam>
public abstract class Dataset<T>
{
    /// <summary>Number of samples (<c>__len__</c>).</summary>
    public abstract int Count { get; }

    /// <summary>Sample <paramref name="index"/> (<c>__getitem__</c>).</summary>
    public abstract T Get(int index);
}
