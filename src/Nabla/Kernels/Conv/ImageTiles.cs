using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nabla.Kernels.Gemm;

namespace Nabla.Kernels.Conv;

/// <summary>C = a group's output Y_g [Mg, N·P] written straight into the images y [N, C, P]: C[m, j] lands at
/// y[img·imageStride + (first + m)·P + q] with j = img·P + q, so no wide Y_g is stored and copied out.</summary>
/// <remarks>A 16-column tile that stays inside one image is rows of 16 floats, P apart: the micro-kernel stores it
/// directly. One that straddles images goes through the scratch tile and is stored run by run (one run per image),
/// with AVX-512 as one masked store per row and run: with P = 49 a third of the tiles straddle, and storing them
/// float by float, once per k block, cost 5–8% of the layer.</remarks>
internal readonly unsafe struct ImageTiles(float* y, int imageStride, int first, int p, bool avx512) : ITileSink
{
    public float* Direct(int row, int col, out nint ld)
    {
        ld = p;
        int img = col / p, q = col - img * p;
        return q + 16 <= p ? y + (nint)img * imageStride + (nint)(first + row) * p + q : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Store(float* tile, int row, int col, int rows, int columns, bool accumulate)
    {
        // The tile's columns fall into runs, one per image; each run is contiguous in every output row.
        for (int j = 0; j < columns;)
        {
            int img = (col + j) / p, q = col + j - img * p, length = Math.Min(columns - j, p - q);
            float* dst = y + (nint)img * imageStride + (nint)(first + row) * p + q;
            if (avx512)
            {
                // Lanes [j, j + length) of each tile row go to dst[0 .. length): a masked store at dst − j.
                var lane = Vector512<int>.Indices;
                var run = (Vector512.GreaterThanOrEqual(lane, Vector512.Create(j)) & Vector512.LessThan(lane, Vector512.Create(j + length))).AsSingle();
                float* at = dst - j;
                for (int i = 0; i < rows; i++, at += p)
                {
                    var v = Vector512.Load(tile + i * 16);
                    if (accumulate) v += Avx512F.MaskLoad(at, run, Vector512<float>.Zero);
                    Avx512F.MaskStore(at, run, v);
                }
            }
            else
                for (int i = 0; i < rows; i++, dst += p)
                {
                    float* src = tile + i * 16 + j;
                    if (accumulate) for (int t = 0; t < length; t++) dst[t] += src[t];
                    else for (int t = 0; t < length; t++) dst[t] = src[t];
                }
            j += length;
        }
    }
}
