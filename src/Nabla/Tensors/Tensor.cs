using System.Runtime.CompilerServices;

namespace Nabla.Tensors;

/// <summary>An n-dimensional array with a dtype, a shape and strides over a shared, pooled storage;
/// the unit of computation that autograd differentiates (PyTorch's <c>torch.Tensor</c>).</summary>
/// <remarks>
/// Element (i₀, …, iₙ₋₁) lives at <c>offset + Σ iₖ·strideₖ</c> of the storage. Views (View, Transpose,
/// Slice, Expand, …) share storage and differ only in shape, strides and offset. Tensors are managed
/// objects: users never dispose them; their buffers return to a pool when they become unreachable.
/// </remarks>
public partial class Tensor
{
    internal readonly Storage Storage;
    internal readonly int[] shape;
    internal readonly int[] strides;
    internal readonly int Offset;

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset)
    {
        Storage = storage;
        this.shape = shape;
        this.strides = strides;
        Offset = offset;
        NumEl = ShapeUtil.NumEl(shape);
    }

    internal Tensor(Storage storage, int[] shape) : this(storage, shape, ShapeUtil.ContiguousStrides(shape), 0) { }

    /// <summary>A new, uninitialized contiguous tensor (contents arbitrary; internal: ops overwrite it).</summary>
    internal static Tensor Uninitialized(ReadOnlySpan<int> shape, DType dtype)
    {
        var s = shape.ToArray();
        return new Tensor(Storage.Allocate(dtype, ShapeUtil.NumEl(s)), s);
    }

    /// <summary>The size of each dimension (<c>tensor.shape</c>).</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>The element step of each dimension in the storage (<c>tensor.stride()</c>).</summary>
    public IReadOnlyList<int> Strides => strides;

    /// <summary>The element type.</summary>
    public DType DType => Storage.DType;

    /// <summary>Number of dimensions (<c>tensor.dim()</c>).</summary>
    public int Dim => shape.Length;

    /// <summary>Number of elements (<c>tensor.numel()</c>).</summary>
    public int NumEl { get; }

    /// <summary>Size of one dimension; negative dims count from the end.</summary>
    public int Size(int dim) => shape[ShapeUtil.WrapDim("Size", dim, Dim)];

    /// <summary>True when elements are laid out row-major without gaps (<c>tensor.is_contiguous()</c>).</summary>
    public bool IsContiguous => ShapeUtil.IsContiguous(shape, strides);

    /// <summary>The storage's version counter: incremented by every in-place change (<c>tensor._version</c>).</summary>
    public int Version => Storage.Version;

    /// <summary>True when both tensors read the same storage (one is a view of the other, or both of a third).</summary>
    public bool SharesStorageWith(Tensor other) => ReferenceEquals(Storage, other.Storage);

    internal ReadOnlySpan<int> ShapeSpan => shape;

    /// <summary>The elements of a contiguous tensor as a span over its storage.</summary>
    internal Span<T> Span<T>() where T : unmanaged
    {
        CheckElementType<T>("Span");
        if (!IsContiguous) Throw.InvalidOperation("internal: Span<T>() needs a contiguous tensor.");
        return ((Storage<T>)Storage).Array.AsSpan(Offset, NumEl);
    }

    /// <summary>The whole storage array and this tensor's offset, for strided kernels.</summary>
    internal T[] Raw<T>() where T : unmanaged => ((Storage<T>)Storage).Array;

    internal void CheckElementType<T>(string op) where T : unmanaged
    {
        if (DType != DTypeOf<T>())
            Throw.Argument($"{op}: tensor has dtype {DType.TorchName()} but {typeof(T).Name} was requested.");
    }

    internal static DType DTypeOf<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        if (typeof(T) == typeof(Complex64)) return DType.Complex64;
        return Throw.InvalidOperation<DType>($"element type {typeof(T).Name} has no Nabla dtype.");
    }

    /// <summary>Copies the elements, row-major, into a new array; <typeparamref name="T"/> must match the dtype.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        CheckElementType<T>("ToArray");
        return Contiguous().Span<T>().ToArray();
    }

    /// <summary>The value of a one-element tensor converted to double (<c>tensor.item()</c>).</summary>
    public double Item()
    {
        if (NumEl != 1) Throw.Argument($"Item: tensor of shape {ShapeUtil.Format(shape)} has {NumEl} elements; expected exactly 1.");
        return GetAsDouble(Offset);
    }

    /// <summary>The value of a one-element tensor converted to <typeparamref name="T"/>.</summary>
    public T Item<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(Complex64))
        {
            if (NumEl != 1) Throw.Argument($"Item: tensor of shape {ShapeUtil.Format(shape)} has {NumEl} elements; expected exactly 1.");
            var z = DType == DType.Complex64 ? ((Storage<Complex64>)Storage).Array[Offset] : new Complex64((float)GetAsDouble(Offset), 0);
            return Unsafe.As<Complex64, T>(ref z);
        }
        double v = Item();
        if (typeof(T) == typeof(float)) { float f = (float)v; return Unsafe.As<float, T>(ref f); }
        if (typeof(T) == typeof(double)) return Unsafe.As<double, T>(ref v);
        if (typeof(T) == typeof(long)) { long l = (long)v; return Unsafe.As<long, T>(ref l); }
        if (typeof(T) == typeof(int)) { int i = (int)v; return Unsafe.As<int, T>(ref i); }
        bool b = v != 0;
        return Unsafe.As<bool, T>(ref b);
    }

    /// <summary>The element at the given index, as double (for tests, printing and small tensors).</summary>
    [IndexerName("Element")]
    public double this[params int[] index]
    {
        get
        {
            if (index.Length != Dim) Throw.Argument($"Indexer: {index.Length} indices given for a tensor of rank {Dim}.");
            int off = Offset;
            for (int i = 0; i < index.Length; i++)
            {
                int ix = index[i] < 0 ? index[i] + shape[i] : index[i];
                if ((uint)ix >= (uint)shape[i]) Throw.OutOfRange($"Indexer: index {index[i]} is out of range for dimension {i} of size {shape[i]}.");
                off += ix * strides[i];
            }
            return GetAsDouble(off);
        }
    }

    internal double GetAsDouble(int storageIndex) => Storage switch
    {
        Storage<float> s => s.Array[storageIndex],
        Storage<double> s => s.Array[storageIndex],
        Storage<long> s => s.Array[storageIndex],
        Storage<int> s => s.Array[storageIndex],
        Storage<bool> s => s.Array[storageIndex] ? 1 : 0,
        _ => Throw.InvalidOperation<double>($"a {DType.TorchName()} tensor of shape {ShapeUtil.Format(shape)} was read as real numbers; take Real(), Imag() or Abs() first (or Item<Complex64>(), ToArray<Complex64>())."),
    };

    /// <summary>Row-major element offsets of this tensor in its storage, for strided loops.</summary>
    internal void ForEachOffset(Action<int, int> action)
    {
        Span<int> idx = stackalloc int[Math.Max(Dim, 1)];
        idx.Clear();
        int off = Offset;
        for (int n = 0; n < NumEl; n++)
        {
            action(n, off);
            for (int d = Dim - 1; d >= 0; d--)
            {
                if (++idx[d] < shape[d]) { off += strides[d]; break; }
                off -= (shape[d] - 1) * strides[d];
                idx[d] = 0;
            }
        }
    }
}
