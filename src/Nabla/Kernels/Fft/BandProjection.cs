using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Kernels.Fft;

/// <summary>A projection y[m] = Σ_k W[k, m]·p[k] of spectrum bins onto a few rows (mel bands) stored by row as the band of
/// bins each row touches: a triangular mel filter is nonzero on a handful of bins, so the product costs nnz(W), not
/// bins × rows.</summary>
/// <remarks>Row m keeps W[Start[m] … Start[m] + Count[m] − 1, m] at Weights[Offset[m] …]: the bins from its first to its last
/// nonzero (zeros inside the band are kept). The arrays are pinned, so kernels on worker threads read them by pointer.</remarks>
internal sealed unsafe class BandProjection<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] weights;
    private readonly int[] start, count, offset;

    /// <summary>From a dense matrix W [bins, rows], row-major.</summary>
    public BandProjection(ReadOnlySpan<T> dense, int bins, int rows)
    {
        Bins = bins;
        Rows = rows;
        start = GC.AllocateArray<int>(rows, pinned: true);
        count = GC.AllocateArray<int>(rows, pinned: true);
        offset = GC.AllocateArray<int>(rows, pinned: true);
        var values = new List<T>();
        for (int m = 0; m < rows; m++)
        {
            int first = -1, last = -1;
            for (int k = 0; k < bins; k++)
                if (dense[k * rows + m] != T.Zero) { if (first < 0) first = k; last = k; }
            start[m] = Math.Max(first, 0);
            count[m] = first < 0 ? 0 : last - first + 1;
            offset[m] = values.Count;
            for (int k = start[m]; k < start[m] + count[m]; k++) values.Add(dense[k * rows + m]);
        }
        weights = GC.AllocateArray<T>(Math.Max(values.Count, 1), pinned: true);
        values.CopyTo(weights);
        NonZeros = values.Count;
    }

    /// <summary>Spectrum bins (W's rows).</summary>
    public int Bins { get; }

    /// <summary>Output rows (W's columns, the mel bands).</summary>
    public int Rows { get; }

    /// <summary>Stored weights: Σ Count[m].</summary>
    public int NonZeros { get; }

    public T* Weights => (T*)Marshal.UnsafeAddrOfPinnedArrayElement(weights, 0);

    public int* Start => (int*)Marshal.UnsafeAddrOfPinnedArrayElement(start, 0);

    public int* Count => (int*)Marshal.UnsafeAddrOfPinnedArrayElement(count, 0);

    public int* Offset => (int*)Marshal.UnsafeAddrOfPinnedArrayElement(offset, 0);
}
