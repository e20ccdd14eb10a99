namespace Nabla.Tensors;

/// <summary>The flat buffer behind one or more tensors (views share it), with the version counter that
/// autograd uses to detect in-place changes to values it saved for backward.</summary>
internal abstract class Storage(DType dtype, int length)
{
    public DType DType { get; } = dtype;

    /// <summary>Elements in use (the pooled array may be longer).</summary>
    public int Length { get; } = length;

    /// <summary>Incremented by every in-place write.</summary>
    public int Version;

    /// <summary>Marks the backward pass that last handed this buffer out as a gradient (see <c>Engine</c>).</summary>
    internal int GradPassMark;

    public abstract Storage CloneEmpty(int length);

    public static Storage Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new Storage<float>(DType.Float32, length),
        DType.Float64 => new Storage<double>(DType.Float64, length),
        DType.Int64 => new Storage<long>(DType.Int64, length),
        DType.Int32 => new Storage<int>(DType.Int32, length),
        DType.Bool => new Storage<bool>(DType.Bool, length),
        DType.Complex64 => new Storage<Complex64>(DType.Complex64, length),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };
}

/// <summary>Storage of element type <typeparamref name="T"/>, rented from <see cref="BufferPool{T}"/>.</summary>
internal sealed class Storage<T> : Storage where T : unmanaged
{
    public readonly T[] Array;

    public Storage(DType dtype, int length) : base(dtype, length) =>
        Array = length == 0 ? [] : BufferPool<T>.Rent(length);

    /// <summary>Wraps an existing array without pooling it (the caller keeps ownership).</summary>
    public Storage(DType dtype, T[] array) : base(dtype, array.Length)
    {
        Array = array;
        GC.SuppressFinalize(this);
    }

    public Span<T> Span => Array.AsSpan(0, Length);

    public override Storage CloneEmpty(int length) => new Storage<T>(DType, length);

    // The array outlives this object only inside the pool: returning it here is what makes storage pooled.
    ~Storage()
    {
        if (Array.Length > 0) BufferPool<T>.Return(Array);
    }
}
