using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels.Gemm;

/// <summary>
/// Copies a block of A or B into micro-panels: for each k step p, <c>width</c> consecutive floats (the panel's
/// rows of A, or columns of B), zero past the <c>count</c> that exist. The micro-kernel then reads both operands
/// with unit stride.
/// </summary>
internal static unsafe class SgemmPacking
{
    /// <summary>dst[p·width + r] = src[p·ld + r] for r &lt; count, 0 for count ≤ r &lt; width, p &lt; depth.</summary>
    /// <remarks>The source already runs along the panel (B untransposed, or Aᵀ): a strided row copy.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackDirect(float* src, nint ld, int count, int width, int depth, float* dst)
    {
        if (count == 16 && width == 16)
        {
            for (int p = 0; p < depth; p++, src += ld, dst += 16)
            {
                Vector256.Store(Vector256.Load(src), dst);
                Vector256.Store(Vector256.Load(src + 8), dst + 8);
            }
        }
        else if (count == 6 && width == 6)
        {
            // Two overlapping 4-float copies cover the 6 floats without reading past them.
            for (int p = 0; p < depth; p++, src += ld, dst += 6)
            {
                Vector128<float> low = Vector128.Load(src);
                Vector128<float> high = Vector128.Load(src + 2);
                Vector128.Store(low, dst);
                Vector128.Store(high, dst + 2);
            }
        }
        else if (width == 16)
        {
            // vmaskmovps reads only the lanes below count (no fault past them) and zeroes the rest.
            Vector256<float> lanes = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
            Vector256<float> maskLow = Vector256.LessThan(lanes, Vector256.Create((float)count));
            Vector256<float> maskHigh = Vector256.LessThan(lanes, Vector256.Create((float)(count - 8)));
            for (int p = 0; p < depth; p++, src += ld, dst += 16)
            {
                Vector256.Store(Avx.MaskLoad(src, maskLow), dst);
                Vector256.Store(Avx.MaskLoad(src + 8, maskHigh), dst + 8);
            }
        }
        else
        {
            for (int p = 0; p < depth; p++, src += ld, dst += width)
            {
                int r = 0;
                for (; r < count; r++) dst[r] = src[r];
                for (; r < width; r++) dst[r] = 0;
            }
        }
    }

    /// <summary>dst[p·width + r] = src[r·ld + p] for r &lt; count, 0 for count ≤ r &lt; width, p &lt; depth.</summary>
    /// <remarks>
    /// The source runs across the panel (A untransposed, or Bᵀ), so each 8 rows × 8 k steps go through an 8×8
    /// register transpose. <paramref name="width"/> is 16 (two 8-row groups) or at most 8; for widths below 8 each
    /// 8-float store spills into the next k step's slots, which the next store (or the scalar tail) rewrites, so
    /// <paramref name="dst"/> needs 8 floats of slack past the panel.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTransposed(float* src, nint ld, int count, int width, int depth, float* dst)
    {
        int p = 0;
        for (; p + 8 <= depth; p += 8)
        {
            for (int group = 0; group < width; group += 8)
            {
                float* rows = src + group * ld + p;
                int valid = count - group;
                Vector256<float> r0 = LoadRow(rows, 0, ld, valid), r1 = LoadRow(rows, 1, ld, valid);
                Vector256<float> r2 = LoadRow(rows, 2, ld, valid), r3 = LoadRow(rows, 3, ld, valid);
                Vector256<float> r4 = LoadRow(rows, 4, ld, valid), r5 = LoadRow(rows, 5, ld, valid);
                Vector256<float> r6 = LoadRow(rows, 6, ld, valid), r7 = LoadRow(rows, 7, ld, valid);
                Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                float* d = dst + p * width + group;
                Vector256.Store(r0, d);
                Vector256.Store(r1, d + width);
                Vector256.Store(r2, d + 2 * width);
                Vector256.Store(r3, d + 3 * width);
                Vector256.Store(r4, d + 4 * width);
                Vector256.Store(r5, d + 5 * width);
                Vector256.Store(r6, d + 6 * width);
                Vector256.Store(r7, d + 7 * width);
            }
        }

        for (; p < depth; p++)
        {
            float* d = dst + p * width;
            int r = 0;
            for (; r < count; r++) d[r] = src[r * ld + p];
            for (; r < width; r++) d[r] = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LoadRow(float* rows, int r, nint ld, int valid) =>
        r < valid ? Vector256.Load(rows + r * ld) : Vector256<float>.Zero;

    /// <summary>In-register transpose: on return r_j[i] holds what r_i[j] held.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2,
        ref Vector256<float> r3, ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6,
        ref Vector256<float> r7)
    {
        // Interleave pairs of rows: t0 = r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] r0[5] r1[5], and so on.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        // Gather quadruples: u0 = column 0 of rows 0..3 | column 4 of rows 0..3, and so on.
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        // Join 128-bit halves: rows 0..3 with rows 4..7.
        r0 = Avx.Permute2x128(u0, u4, 0x20);
        r1 = Avx.Permute2x128(u1, u5, 0x20);
        r2 = Avx.Permute2x128(u2, u6, 0x20);
        r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31);
        r5 = Avx.Permute2x128(u1, u5, 0x31);
        r6 = Avx.Permute2x128(u2, u6, 0x31);
        r7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
