using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>The loop behind gather and scatter. For each position p of an index tensor (row-major) it pairs
/// element p of a <em>dense</em> operand with element p[dim ← index[p]] of an <em>indexed</em> operand:
/// gather reads dense[p] = indexed[p[dim ← index[p]]]; scatter writes indexed[p[dim ← index[p]]] = (or +=) dense[p].</summary>
/// <remarks>Both operands are read through their own strides, so views, expanded sources (stride 0, a scalar
/// value) and a dense operand larger than the index all work without copies. Index values must already be
/// checked to lie in [0, indexed.size(dim)).</remarks>
internal static class IndexedWalk
{
    /// <summary>dense[p] = indexed[p with dim ← index[p]] for every p in <paramref name="indexShape"/>.</summary>
    public static void Gather(Tensor indexed, int dim, ReadOnlySpan<long> index, ReadOnlySpan<int> indexShape, Tensor dense)
    {
        switch (dense.DType)
        {
            case DType.Float32: Run<float, Load<float>>(indexed, dense, dim, index, indexShape); break;
            case DType.Float64: Run<double, Load<double>>(indexed, dense, dim, index, indexShape); break;
            case DType.Int64: Run<long, Load<long>>(indexed, dense, dim, index, indexShape); break;
            case DType.Int32: Run<int, Load<int>>(indexed, dense, dim, index, indexShape); break;
            case DType.Complex64: Run<Complex64, Load<Complex64>>(indexed, dense, dim, index, indexShape); break;
            default: Run<bool, Load<bool>>(indexed, dense, dim, index, indexShape); break;
        }
    }

    /// <summary>indexed[p with dim ← index[p]] = dense[p] (or += when <paramref name="accumulate"/>; bool cannot accumulate).</summary>
    public static void Scatter(Tensor indexed, int dim, ReadOnlySpan<long> index, ReadOnlySpan<int> indexShape, Tensor dense, bool accumulate)
    {
        switch (indexed.DType, accumulate)
        {
            case (DType.Float32, false): Run<float, Store<float>>(indexed, dense, dim, index, indexShape); break;
            case (DType.Float64, false): Run<double, Store<double>>(indexed, dense, dim, index, indexShape); break;
            case (DType.Int64, false): Run<long, Store<long>>(indexed, dense, dim, index, indexShape); break;
            case (DType.Int32, false): Run<int, Store<int>>(indexed, dense, dim, index, indexShape); break;
            case (DType.Bool, false): Run<bool, Store<bool>>(indexed, dense, dim, index, indexShape); break;
            case (DType.Complex64, false): Run<Complex64, Store<Complex64>>(indexed, dense, dim, index, indexShape); break;
            case (DType.Float32, true): Run<float, StoreAdd<float>>(indexed, dense, dim, index, indexShape); break;
            case (DType.Float64, true): Run<double, StoreAdd<double>>(indexed, dense, dim, index, indexShape); break;
            case (DType.Int64, true): Run<long, StoreAdd<long>>(indexed, dense, dim, index, indexShape); break;
            case (DType.Int32, true): Run<int, StoreAdd<int>>(indexed, dense, dim, index, indexShape); break;
            default: Throw.DType("ScatterAdd", indexed.DType, "float32, float64, int64 or int32"); break;
        }
    }

    private static void Run<T, TMove>(Tensor indexedT, Tensor denseT, int dim, ReadOnlySpan<long> index, ReadOnlySpan<int> shape)
        where T : unmanaged where TMove : IMove<T>
    {
        var indexed = indexedT.Raw<T>();
        var dense = denseT.Raw<T>();
        int n = index.Length;
        if (n == 0) return;
        if (shape.Length == 0) { TMove.Move(indexed, indexedT.Offset, dense, denseT.Offset); return; }

        ReadOnlySpan<int> aStrides = indexedT.strides, bStrides = denseT.strides;
        int last = shape.Length - 1, inner = shape[last];
        int dimStride = aStrides[dim];
        int aIn = dim == last ? 0 : aStrides[last];   // along dim the index, not the position, picks the element
        int bIn = bStrides[last];
        Span<int> counter = stackalloc int[shape.Length];
        counter.Clear();
        int a = indexedT.Offset, b = denseT.Offset;
        for (int p = 0; p < n; p += inner)
        {
            for (int j = 0; j < inner; j++)
                TMove.Move(indexed, a + j * aIn + (int)index[p + j] * dimStride, dense, b + j * bIn);
            for (int k = last - 1; k >= 0; k--)
            {
                int sa = k == dim ? 0 : aStrides[k];
                if (++counter[k] < shape[k]) { a += sa; b += bStrides[k]; break; }
                a -= (shape[k] - 1) * sa;
                b -= (shape[k] - 1) * bStrides[k];
                counter[k] = 0;
            }
        }
    }

    private interface IMove<T>
    {
        static abstract void Move(T[] indexed, int i, T[] dense, int d);
    }

    private readonly struct Load<T> : IMove<T>
    {
        public static void Move(T[] indexed, int i, T[] dense, int d) => dense[d] = indexed[i];
    }

    private readonly struct Store<T> : IMove<T>
    {
        public static void Move(T[] indexed, int i, T[] dense, int d) => indexed[i] = dense[d];
    }

    private readonly struct StoreAdd<T> : IMove<T> where T : INumber<T>
    {
        public static void Move(T[] indexed, int i, T[] dense, int d) => indexed[i] += dense[d];
    }
}
