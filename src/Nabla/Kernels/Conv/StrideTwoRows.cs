using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels.Conv;

/// <summary>The row loops of im2col and col2im for horizontal stride 2 in float32, eight outputs at a time with AVX2 shuffles.</summary>
/// <remarks>
/// A stride-2 convolution's im2col row is every other pixel of an input row: d[k] = s[2k]. Loading s[0 … 15] as two
/// vectors and keeping the even lanes gives eight outputs per step instead of one gathered element per loop turn; it
/// reads up to 16 floats past the row in the padded plane (<see cref="Slack"/>) and may write up to 7 floats past its
/// row when the caller says that memory is its own and written again later. col2im, the adjoint, is computed as a
/// gather per pixel row (<see cref="FoldPlane"/>).
/// </remarks>
internal static unsafe class StrideTwoRows
{
    /// <summary>Floats past the end of a padded plane (or row) that the vector loops may read or write.</summary>
    public const int Slack = 16;

    /// <summary>Whether the vector loops run: AVX2 on this machine and allowed by <see cref="KernelOptions"/>.</summary>
    public static bool IsSupported => KernelOptions.Avx2Enabled;

    /// <summary>d[k] = s[2k] for k &lt; <paramref name="count"/>; with <paramref name="mayOverrun"/> the last step may also
    /// write d[count … count + 7], which the caller must own and overwrite afterwards.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GatherEvens(float* s, float* d, int count, bool mayOverrun)
    {
        int k = 0;
        for (; k + 8 <= count; k += 8) Evens(s + 2 * k).Store(d + k);
        if (k == count) return;
        if (mayOverrun) Evens(s + 2 * k).Store(d + k);
        else for (; k < count; k++) d[k] = s[2 * k];
    }

    /// <summary>col2im of one channel plane for horizontal stride 2, computed pixel row by pixel row as a gather:
    /// dx[y, x] += Σ over the taps (i, j) and output pixels (oy, ox) that read it of tapRows[(i·kW + j)·ldCols + oy·outW + ox].</summary>
    /// <remarks>
    /// Padded column 2m + p (phase p ∈ {0, 1}) is read by tap j exactly when j·dW ≡ p (mod 2), at ox = m − (j·dW − p)/2; padded
    /// row r by tap i when r − i·dH = oy·sH. So the even and the odd columns of a row are each a sum of shifted column
    /// rows, added eight columns at a time in registers (masked loads give 0 where ox falls outside the output), then
    /// interleaved into <paramref name="row"/> (scratch of ≥ padded width + <see cref="Slack"/> floats) and added into dx.
    /// Adding into a padded plane tap by tap instead writes overlapping, misaligned vectors back to back, which stalls
    /// store forwarding.
    /// </remarks>
    public static void FoldPlane(float* tapRows, nint ldCols, in ConvGeometry g, FoldPlan plan, float* row, float* dx)
    {
        int outW = g.OutW, kW = g.KernelW, chunks = plan.Chunks;
        fixed (int* readers = plan.Readers, first = plan.First)
        fixed (Vector256<float>* inside = plan.Inside)
        {
            for (int y = 0; y < g.Height; y++)
            {
                int* rowReaders = readers + y * plan.ReaderStride;
                int readerCount = rowReaders[0];
                for (int chunk = 0; chunk < chunks; chunk++)
                {
                    var even = Vector256<float>.Zero;
                    var odd = Vector256<float>.Zero;
                    for (int k = 0; k < readerCount; k++)
                    {
                        float* src = tapRows + rowReaders[1 + 2 * k] * kW * ldCols + rowReaders[2 + 2 * k] * outW;
                        for (int j = 0; j < kW; j++)
                        {
                            int at = chunk * kW + j;
                            var v = Avx.MaskLoad(src + j * ldCols + first[at], inside[at]);
                            if (((j * g.DilationW) & 1) == 0) even += v;
                            else odd += v;
                        }
                    }
                    var low = Avx.UnpackLow(even, odd);    // [e0 o0 e1 o1 | e4 o4 e5 o5]
                    var high = Avx.UnpackHigh(even, odd);  // [e2 o2 e3 o3 | e6 o6 e7 o7]
                    Avx.Store(row + 16 * chunk, Avx2.Permute2x128(low, high, 0x20));
                    Avx.Store(row + 16 * chunk + 8, Avx2.Permute2x128(low, high, 0x31));
                }
                float* to = dx + y * g.Width;
                float* from = row + g.PadLeft;
                int x = 0;
                for (; x + 8 <= g.Width; x += 8) Avx.Store(to + x, Avx.Add(Avx.LoadVector256(to + x), Avx.LoadVector256(from + x)));
                for (; x < g.Width; x++) to[x] += from[x];
            }
        }
    }

    /// <summary>What <see cref="FoldPlane"/> needs to know about a geometry, computed once per geometry.</summary>
    internal sealed class FoldPlan
    {
        private static readonly ConcurrentDictionary<ConvGeometry, FoldPlan> Plans = new();

        private FoldPlan(in ConvGeometry g)
        {
            int wp = StridedIm2Col.PaddedWidth(g), outH = g.OutH, outW = g.OutW;
            Chunks = (wp + 15) / 16;
            ReaderStride = 1 + 2 * g.KernelH;
            Readers = new int[g.Height * ReaderStride];
            for (int y = 0; y < g.Height; y++)
            {
                int r = y + g.PadTop, count = 0;
                for (int i = 0; i < g.KernelH; i++)
                {
                    int t = r - i * g.DilationH;
                    if (t < 0 || t % g.StrideH != 0 || t / g.StrideH >= outH) continue;
                    Readers[y * ReaderStride + 1 + 2 * count] = i;
                    Readers[y * ReaderStride + 2 + 2 * count++] = t / g.StrideH;
                }
                Readers[y * ReaderStride] = count;
            }
            First = new int[Chunks * g.KernelW];
            Inside = new Vector256<float>[Chunks * g.KernelW];
            var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            for (int chunk = 0; chunk < Chunks; chunk++)
                for (int j = 0; j < g.KernelW; j++)
                {
                    int jd = j * g.DilationW, ox0 = chunk * 8 - ((jd - (jd & 1)) >> 1);
                    var ox = lane + Vector256.Create(ox0);
                    First[chunk * g.KernelW + j] = ox0;
                    Inside[chunk * g.KernelW + j] = (Vector256.GreaterThan(ox, Vector256<int>.AllBitsSet) & Vector256.LessThan(ox, Vector256.Create(outW))).AsSingle();
                }
        }

        /// <summary>Groups of eight padded column pairs (16 padded columns) per row.</summary>
        public int Chunks { get; }

        /// <summary>Per pixel row y: the number of kernel rows that read padded row y + padTop, then (i, oy) for each.</summary>
        public int[] Readers { get; }

        /// <summary>Ints per row in <see cref="Readers"/>: 1 + 2·kH.</summary>
        public int ReaderStride { get; }

        /// <summary>Per (chunk, kernel column j): the output column read by the chunk's first lane.</summary>
        public int[] First { get; }

        /// <summary>Per (chunk, kernel column j): which lanes read an output column inside [0, outW).</summary>
        public Vector256<float>[] Inside { get; }

        /// <summary>The plan for <paramref name="g"/>, built on first use (a model has a handful of geometries).</summary>
        public static FoldPlan For(in ConvGeometry g) => Plans.GetOrAdd(g, static key => new FoldPlan(key));
    }

    /// <summary>[s0 s2 s4 s6 s8 s10 s12 s14] from s[0 … 15].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Evens(float* s)
    {
        // shuffle 0b10_00_10_00 picks lanes 0 and 2 of each operand per 128-bit half: [a0 a2 b0 b2 | a4 a6 b4 b6];
        // permuting the 64-bit pairs as 0, 2, 1, 3 orders them.
        var mixed = Avx.Shuffle(Avx.LoadVector256(s), Avx.LoadVector256(s + 8), 0b10_00_10_00);
        return Avx2.Permute4x64(mixed.AsDouble(), 0b11_01_10_00).AsSingle();
    }
}
