using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels.Conv;

/// <summary>The gather both column packers share: dst[p·16 + t] = src[lane[t] + step[p]] for t &lt; count (zero for
/// count ≤ t &lt; 16) and p &lt; depth.</summary>
/// <remarks>
/// The 16 lanes of a panel fall into a few runs that each fit a 32-float window (the pixels of one output row, or
/// the taps of one kernel row), and the same runs repeat at every k step, which only moves the base. With AVX-512
/// each run is two loads and one two-source permute (vpermt2ps), merged under its lane mask: about four runs a
/// step for the DCGAN's layers, against 16 scalar loads. Zen 4's vgatherdps measured slower than the scalar loop
/// (4.4 cycles a float). The source must stay readable 32 floats past the last element addressed.
/// </remarks>
internal static unsafe class PanelGather
{
    private const int MaxRuns = 6;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* src, int* lane, int count, int* step, int depth, float* dst, bool avx512)
    {
        if (count == 16 && avx512 && Windowed(src, lane, step, depth, dst)) return;
        if (count == 16)
        {
            // The 16 offsets stay in registers for the whole panel: 16 loads and stores a step, about a cycle a float.
            int l0 = lane[0], l1 = lane[1], l2 = lane[2], l3 = lane[3], l4 = lane[4], l5 = lane[5], l6 = lane[6], l7 = lane[7];
            int l8 = lane[8], l9 = lane[9], l10 = lane[10], l11 = lane[11], l12 = lane[12], l13 = lane[13], l14 = lane[14], l15 = lane[15];
            for (int p = 0; p < depth; p++, dst += 16)
            {
                float* s = src + step[p];
                dst[0] = s[l0]; dst[1] = s[l1]; dst[2] = s[l2]; dst[3] = s[l3];
                dst[4] = s[l4]; dst[5] = s[l5]; dst[6] = s[l6]; dst[7] = s[l7];
                dst[8] = s[l8]; dst[9] = s[l9]; dst[10] = s[l10]; dst[11] = s[l11];
                dst[12] = s[l12]; dst[13] = s[l13]; dst[14] = s[l14]; dst[15] = s[l15];
            }
            return;
        }
        for (int p = 0; p < depth; p++, dst += 16)
        {
            float* s = src + step[p];
            int t = 0;
            for (; t < count; t++) dst[t] = s[lane[t]];
            for (; t < 16; t++) dst[t] = 0;
        }
    }

    /// <summary>The permute form; false (nothing written) when the lanes need more than <see cref="MaxRuns"/> runs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Windowed(float* src, int* lane, int* step, int depth, float* dst)
    {
        int* bases = stackalloc int[MaxRuns];
        Vector512<int>* indices = stackalloc Vector512<int>[MaxRuns];
        Vector512<float>* masks = stackalloc Vector512<float>[MaxRuns];
        int* index = stackalloc int[16];
        int* mask = stackalloc int[16];
        int runs = 0;
        for (int t = 0; t < 16;)
        {
            if (runs == MaxRuns) return false;
            int start = lane[t];
            for (int u = 0; u < 16; u++) (index[u], mask[u]) = (0, 0);
            for (; t < 16 && lane[t] - start is >= 0 and < 32; t++) (index[t], mask[t]) = (lane[t] - start, -1);
            bases[runs] = start;
            indices[runs] = Vector512.Load(index);
            masks[runs] = Vector512.Load(mask).AsSingle();
            runs++;
        }
        // Neighbouring steps are often a few floats apart (the next tap of a kernel row, the next pixel of an output
        // row): when every index of the next step, moved by that distance, still falls inside the windows, one pair
        // of loads serves both steps. The loads, not the permutes, bound this loop (measured 1.5× faster paired).
        int reach = 0;
        for (int r = 0; r < runs; r++)
            for (int t = 0; t < 16; t++) if (((int*)&masks[r])[t] != 0) reach = Math.Max(reach, ((int*)&indices[r])[t]);
        if (runs == 1) OneRun(src + bases[0], indices[0], reach, step, depth, dst);
        else if (runs == 2) TwoRuns(src, bases[0], bases[1], indices[0], indices[1], masks[0], reach, step, depth, dst);
        else ManyRuns(src, runs, bases, indices, masks, reach, step, depth, dst);
        return true;
    }

    /// <summary>The windowed gather when one window holds all 16 lanes: no merging, the index vector in a register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRun(float* src, Vector512<int> index, int reach, int* step, int depth, float* dst)
    {
        int p = 0;
        for (; p + 1 < depth; p += 2, dst += 32)
        {
            float* window = src + step[p];
            int distance = step[p + 1] - step[p];
            Vector512<float> low = Vector512.Load(window), high = Vector512.Load(window + 16);
            Vector512.Store(Avx512F.PermuteVar16x32x2(low, index, high), dst);
            if (distance >= 0 && reach + distance < 32)
                Vector512.Store(Avx512F.PermuteVar16x32x2(low, index + Vector512.Create(distance), high), dst + 16);
            else
                Vector512.Store(Avx512F.PermuteVar16x32x2(Vector512.Load(src + step[p + 1]), index, Vector512.Load(src + step[p + 1] + 16)), dst + 16);
        }
        if (p < depth)
        {
            float* window = src + step[p];
            Vector512.Store(Avx512F.PermuteVar16x32x2(Vector512.Load(window), index, Vector512.Load(window + 16)), dst);
        }
    }

    /// <summary>The windowed gather for two windows (lanes of the first under <paramref name="firstMask"/>, the rest
    /// from the second): one merge a step, everything in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TwoRuns(float* src, int base0, int base1, Vector512<int> index0, Vector512<int> index1,
        Vector512<float> firstMask, int reach, int* step, int depth, float* dst)
    {
        int p = 0;
        for (; p + 1 < depth; p += 2, dst += 32)
        {
            float* s = src + step[p];
            int distance = step[p + 1] - step[p];
            Vector512<float> low0 = Vector512.Load(s + base0), high0 = Vector512.Load(s + base0 + 16);
            Vector512<float> low1 = Vector512.Load(s + base1), high1 = Vector512.Load(s + base1 + 16);
            Vector512.Store(Vector512.ConditionalSelect(firstMask, Avx512F.PermuteVar16x32x2(low0, index0, high0),
                Avx512F.PermuteVar16x32x2(low1, index1, high1)), dst);
            if (distance >= 0 && reach + distance < 32)
            {
                var shift = Vector512.Create(distance);
                Vector512.Store(Vector512.ConditionalSelect(firstMask, Avx512F.PermuteVar16x32x2(low0, index0 + shift, high0),
                    Avx512F.PermuteVar16x32x2(low1, index1 + shift, high1)), dst + 16);
            }
            else
            {
                float* t = src + step[p + 1];
                Vector512.Store(Vector512.ConditionalSelect(firstMask, Avx512F.PermuteVar16x32x2(Vector512.Load(t + base0), index0, Vector512.Load(t + base0 + 16)),
                    Avx512F.PermuteVar16x32x2(Vector512.Load(t + base1), index1, Vector512.Load(t + base1 + 16))), dst + 16);
            }
        }
        if (p < depth)
        {
            float* s = src + step[p];
            Vector512.Store(Vector512.ConditionalSelect(firstMask, Avx512F.PermuteVar16x32x2(Vector512.Load(s + base0), index0, Vector512.Load(s + base0 + 16)),
                Avx512F.PermuteVar16x32x2(Vector512.Load(s + base1), index1, Vector512.Load(s + base1 + 16))), dst);
        }
    }

    /// <summary>The windowed gather for three or more windows, merged lane mask by lane mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ManyRuns(float* src, int runs, int* bases, Vector512<int>* indices, Vector512<float>* masks, int reach,
        int* step, int depth, float* dst)
    {
        for (int p = 0; p < depth; p++, dst += 16)
        {
            float* s = src + step[p];
            int distance = p + 1 < depth ? step[p + 1] - step[p] : -1;
            if (distance >= 0 && reach + distance < 32)
            {
                var shift = Vector512.Create(distance);
                Vector512<float> first = default, second = default;
                for (int r = 0; r < runs; r++)
                {
                    float* window = s + bases[r];
                    Vector512<float> low = Vector512.Load(window), high = Vector512.Load(window + 16);
                    first = Vector512.ConditionalSelect(masks[r], Avx512F.PermuteVar16x32x2(low, indices[r], high), first);
                    second = Vector512.ConditionalSelect(masks[r], Avx512F.PermuteVar16x32x2(low, indices[r] + shift, high), second);
                }
                Vector512.Store(first, dst);
                Vector512.Store(second, dst + 16);
                p++;
                dst += 16;
                continue;
            }
            Vector512<float> gathered = default;
            for (int r = 0; r < runs; r++)
            {
                float* window = s + bases[r];
                Vector512<float> picked = Avx512F.PermuteVar16x32x2(Vector512.Load(window), indices[r], Vector512.Load(window + 16));
                gathered = Vector512.ConditionalSelect(masks[r], picked, gathered);
            }
            Vector512.Store(gathered, dst);
        }
    }
}
