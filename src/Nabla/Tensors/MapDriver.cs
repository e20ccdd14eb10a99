using System.Runtime.InteropServices;
using Nabla.Kernels;

namespace Nabla.Tensors;

/// <summary>A span-to-span kernel: reads x, writes y (same length).</summary>
internal delegate void SpanMap<T>(ReadOnlySpan<T> x, Span<T> y);

/// <summary>A two-input span kernel: reads a and b, writes y (same length).</summary>
internal delegate void SpanZip<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y);

/// <summary>Runs span kernels over whole tensors, choosing the float32 or float64 variant by dtype.</summary>
internal static class MapDriver
{
    /// <summary>y = f(x) element-wise into a new contiguous tensor.</summary>
    public static Tensor Map(string op, Tensor x, SpanMap<float> f32, SpanMap<double> f64)
    {
        var src = x.ContiguousRaw();
        var y = Tensor.Uninitialized(x.shape, x.DType);
        // Some TensorPrimitives functions (Sigmoid, SoftMax) reject empty spans; an empty tensor maps to itself.
        if (y.NumEl == 0 && x.DType.IsFloatingPoint()) return y;
        switch (x.DType)
        {
            case DType.Float32: InBlocks(f32, src.Span<float>(), default, y.Span<float>()); break;
            case DType.Float64: InBlocks(f64, src.Span<double>(), default, y.Span<double>()); break;
            default: Throw.DType(op, x.DType, "float32 or float64"); break;
        }
        return y;
    }

    /// <summary>y = f(a, b) element-wise for two tensors of the same shape and dtype (used by fused backward kernels).</summary>
    public static Tensor Zip(string op, Tensor a, Tensor b, SpanZip<float> f32, SpanZip<double> f64)
    {
        if (!ShapeUtil.SameShape(a.shape, b.shape))
            Throw.Shape(op, ShapeUtil.Format(a.shape), ShapeUtil.Format(b.shape), $"{op}: shapes differ: {ShapeUtil.Format(a.shape)} and {ShapeUtil.Format(b.shape)}.");
        BinaryDriver.CheckDTypes(op, a, b);
        var sa = a.ContiguousRaw();
        var sb = b.ContiguousRaw();
        var y = Tensor.Uninitialized(a.shape, a.DType);
        if (y.NumEl == 0) return y;
        if (a.DType == DType.Float32) InBlocks(f32, sa.Span<float>(), sb.Span<float>(), y.Span<float>());
        else InBlocks(f64, sa.Span<double>(), sb.Span<double>(), y.Span<double>());
        return y;
    }

    // Elements per block handed to a thread: large enough that the delegate call and the hand-off are noise.
    private const int Block = 1 << 14;

    // Below this many elements an element-wise op runs on the calling thread: a memory-bound pass over 1 MB takes
    // about 50 µs, and splitting the MLP benchmark's 64K-element ReLUs took its two-thread ratio from 0.70 to 0.96.
    private const int MinParallelLength = 1 << 18;

    /// <summary>Runs an element-wise kernel (a <see cref="SpanMap{T}"/>, or a <see cref="SpanZip{T}"/> when
    /// <paramref name="b"/> is given) over blocks of the spans, split across the kernel threads when they are large:
    /// each element depends only on the same element of the inputs, so any split gives the same result.</summary>
    private static unsafe void InBlocks<T>(Delegate kernel, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged
    {
        int blocks = (y.Length + Block - 1) / Block;
        if (y.Length < MinParallelLength || RangeParallel.Parts(blocks, Block) <= 1)
        {
            Invoke(kernel, a, b, y);
            return;
        }
        var handle = GCHandle.Alloc(kernel);
        try
        {
            fixed (T* pa = a, pb = b, py = y)
            {
                var job = new BlockJob<T>
                {
                    Kernel = GCHandle.ToIntPtr(handle), A = pa, B = b.IsEmpty ? null : pb, Y = py, Length = y.Length,
                };
                RangeParallel.Run(job, blocks, Block);
            }
        }
        finally
        {
            handle.Free();
        }
    }

    private static void Invoke<T>(Delegate kernel, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
    {
        if (kernel is SpanZip<T> zip) zip(a, b, y);
        else ((SpanMap<T>)kernel)(a, y);
    }

    /// <summary>Blocks [start, end) of an element-wise kernel; the kernel is reached through a GC handle so that the
    /// job stays unmanaged and one copy serves every thread.</summary>
    private unsafe struct BlockJob<T> : IRangeJob where T : unmanaged
    {
        public nint Kernel;
        public T* A, B, Y;
        public int Length;

        public readonly void Run(int start, int end)
        {
            int from = start * Block, count = Math.Min(Length, end * Block) - from;
            var kernel = (Delegate)GCHandle.FromIntPtr(Kernel).Target!;
            Invoke(kernel, new ReadOnlySpan<T>(A + from, count), B is null ? default : new ReadOnlySpan<T>(B + from, count), new Span<T>(Y + from, count));
        }
    }
}
