using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels.Pool;

/// <summary>The 2×2, stride-2 max pool (no padding or dilation), vectorized: the down-sampling step of most CNNs.</summary>
/// <remarks>
/// Output (oy, ox) is max(x[2oy, 2ox], x[2oy, 2ox+1], x[2oy+1, 2ox], x[2oy+1, 2ox+1]), taken in that order by
/// first(acc, v) = (v &gt; acc or v is NaN) ? v : acc, exactly the scalar rule of <see cref="MaxPoolKernel"/>:
/// the reduction "first maximum in scan order" is associative over consecutive runs, so folding each row pair
/// and then the two rows gives the same value (down to the sign of a zero) as the row-major scan. For each row
/// two input vectors are split into even and odd columns with one permute each, so V outputs cost four loads,
/// four permutes and three compare-selects; Vector512, Vector256 or Vector128, whichever fits the row.
/// </remarks>
internal static unsafe class MaxPool2x2
{
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int planes, in PoolGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        fixed (T* py = y)
            RangeParallel.Run(new ForwardJob<T>(px, py, g, KernelOptions.X86Level), planes, g.InPlane);
    }

    /// <summary>dx (overwritten): dy goes to the argmax of its window, zero to the other three. The windows must tile
    /// the plane exactly (H = 2·outH, W = 2·outW), so every dx element is written once.</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, int planes, in PoolGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        fixed (T* pdy = dy)
        fixed (T* pdx = dx)
            RangeParallel.Run(new BackwardJob<T>(px, pdy, pdx, g, KernelOptions.X86Level), planes, 2L * g.InPlane);
    }

    /// <summary>One output row from input rows r0 and r1 (2·outW elements each, at least).</summary>
    /// <remarks>The widest vector that fits covers the row; its last step is shifted back to end at outW, recomputing a
    /// few outputs instead of falling to a scalar tail (rows of 7–28 outputs are the common CNN case).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Row<T>(T* r0, T* r1, T* dst, int outW, SimdLevel level) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (level == SimdLevel.Avx512 && outW >= Vector512<T>.Count)
        {
            int n = Vector512<T>.Count;
            for (int ox = 0; ; ox += n)
            {
                if (ox + n > outW) ox = outW - n;
                var (e0, o0) = Split(Vector512.Load(r0 + 2 * ox), Vector512.Load(r0 + 2 * ox + n));
                var (e1, o1) = Split(Vector512.Load(r1 + 2 * ox), Vector512.Load(r1 + 2 * ox + n));
                First(First(e0, o0), First(e1, o1)).Store(dst + ox);
                if (ox + n == outW) return;
            }
        }
        if (level >= SimdLevel.Avx2 && outW >= Vector256<T>.Count)
        {
            int n = Vector256<T>.Count;
            for (int ox = 0; ; ox += n)
            {
                if (ox + n > outW) ox = outW - n;
                var (e0, o0) = Split(Vector256.Load(r0 + 2 * ox), Vector256.Load(r0 + 2 * ox + n));
                var (e1, o1) = Split(Vector256.Load(r1 + 2 * ox), Vector256.Load(r1 + 2 * ox + n));
                First(First(e0, o0), First(e1, o1)).Store(dst + ox);
                if (ox + n == outW) return;
            }
        }
        if (level >= SimdLevel.Avx2 && outW >= Vector128<T>.Count)
        {
            int n = Vector128<T>.Count;
            for (int ox = 0; ; ox += n)
            {
                if (ox + n > outW) ox = outW - n;
                var (e0, o0) = Split(Vector128.Load(r0 + 2 * ox), Vector128.Load(r0 + 2 * ox + n));
                var (e1, o1) = Split(Vector128.Load(r1 + 2 * ox), Vector128.Load(r1 + 2 * ox + n));
                First(First(e0, o0), First(e1, o1)).Store(dst + ox);
                if (ox + n == outW) return;
            }
        }
        for (int ox = 0; ox < outW; ox++)
            dst[ox] = First(First(r0[2 * ox], r0[2 * ox + 1]), First(r1[2 * ox], r1[2 * ox + 1]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T First<T>(T acc, T v) where T : IFloatingPointIeee754<T> => v > acc || T.IsNaN(v) ? v : acc;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> First<T>(Vector512<T> acc, Vector512<T> v) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(v, acc) | ~Vector512.Equals(v, v), v, acc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> First<T>(Vector256<T> acc, Vector256<T> v) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(v, acc) | ~Vector256.Equals(v, v), v, acc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> First<T>(Vector128<T> acc, Vector128<T> v) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(v, acc) | ~Vector128.Equals(v, v), v, acc);

    /// <summary>(even, odd) lanes of a‖b: [a0 a2 b0 b2] and [a1 a3 b1 b3] for float, [a0 b0] and [a1 b1] for double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<T> Even, Vector128<T> Odd) Split<T>(Vector128<T> a, Vector128<T> b)
    {
        if (typeof(T) == typeof(float))
        {
            Vector128<float> fa = a.AsSingle(), fb = b.AsSingle();
            return (Sse.Shuffle(fa, fb, 0b10_00_10_00).As<float, T>(), Sse.Shuffle(fa, fb, 0b11_01_11_01).As<float, T>());
        }
        Vector128<double> da = a.AsDouble(), db = b.AsDouble();
        return (Sse2.UnpackLow(da, db).As<double, T>(), Sse2.UnpackHigh(da, db).As<double, T>());
    }

    /// <summary>(even, odd) lanes of the concatenation a‖b: [a0, a2, …, b0, b2, …] and [a1, a3, …, b1, b3, …].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T> Even, Vector512<T> Odd) Split<T>(Vector512<T> a, Vector512<T> b)
    {
        if (typeof(T) == typeof(float))
        {
            var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            Vector512<float> fa = a.AsSingle(), fb = b.AsSingle();
            return (Avx512F.PermuteVar16x32x2(fa, even, fb).As<float, T>(), Avx512F.PermuteVar16x32x2(fa, even + Vector512<int>.One, fb).As<float, T>());
        }
        var evenD = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14);
        Vector512<double> da = a.AsDouble(), db = b.AsDouble();
        return (Avx512F.PermuteVar8x64x2(da, evenD, db).As<double, T>(), Avx512F.PermuteVar8x64x2(da, evenD + Vector512<long>.One, db).As<double, T>());
    }

    /// <summary>(even, odd) lanes of a‖b. In-lane shuffles give [a0 a2 b0 b2 | a4 a6 b4 b6]; swapping the middle
    /// 64-bit quarters (control 0b11_01_10_00) puts them in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<T> Even, Vector256<T> Odd) Split<T>(Vector256<T> a, Vector256<T> b)
    {
        if (typeof(T) == typeof(float))
        {
            Vector256<float> fa = a.AsSingle(), fb = b.AsSingle();
            var even = Avx2.Permute4x64(Avx.Shuffle(fa, fb, 0b10_00_10_00).AsDouble(), 0b11_01_10_00);
            var odd = Avx2.Permute4x64(Avx.Shuffle(fa, fb, 0b11_01_11_01).AsDouble(), 0b11_01_10_00);
            return (even.As<double, T>(), odd.As<double, T>());
        }
        Vector256<double> da = a.AsDouble(), db = b.AsDouble();
        return (Avx2.Permute4x64(Avx.UnpackLow(da, db), 0b11_01_10_00).As<double, T>(),
                Avx2.Permute4x64(Avx.UnpackHigh(da, db), 0b11_01_10_00).As<double, T>());
    }

    private readonly struct ForwardJob<T>(T* x, T* y, PoolGeometry g, SimdLevel level) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int p = start; p < end; p++)
            {
                T* plane = x + (long)p * g.InPlane;
                T* output = y + (long)p * g.OutPlane;
                for (int oy = 0; oy < g.OutH; oy++)
                {
                    T* r0 = plane + 2 * oy * g.Width;
                    Row(r0, r0 + g.Width, output + oy * g.OutW, g.OutW, level);
                }
            }
        }
    }

    private readonly struct BackwardJob<T>(T* x, T* dy, T* dx, PoolGeometry g, SimdLevel level) : IRangeJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            int w = g.Width;
            for (int p = start; p < end; p++)
            {
                T* plane = x + (long)p * g.InPlane, dplane = dx + (long)p * g.InPlane, grad = dy + (long)p * g.OutPlane;
                for (int oy = 0; oy < g.OutH; oy++)
                {
                    T* r0 = plane + 2 * oy * w;
                    T* d0 = dplane + 2 * oy * w;
                    T* gr = grad + oy * g.OutW;
                    int done = typeof(T) == typeof(float) && level >= SimdLevel.Avx2
                        ? BackwardRowAvx2((float*)r0, (float*)(r0 + w), (float*)gr, (float*)d0, (float*)(d0 + w), g.OutW)
                        : 0;
                    for (int ox = done; ox < g.OutW; ox++)
                    {
                        // The scan order (r0, c0), (r0, c1), (r1, c0), (r1, c1) with first(·, ·) picks the argmax.
                        int c = 2 * ox, k = 0;
                        T m = r0[c];
                        if (r0[c + 1] > m || T.IsNaN(r0[c + 1])) { m = r0[c + 1]; k = 1; }
                        if (r0[w + c] > m || T.IsNaN(r0[w + c])) { m = r0[w + c]; k = 2; }
                        if (r0[w + c + 1] > m || T.IsNaN(r0[w + c + 1])) k = 3;
                        T v = gr[ox];
                        d0[c] = k == 0 ? v : T.Zero;
                        d0[c + 1] = k == 1 ? v : T.Zero;
                        d0[w + c] = k == 2 ? v : T.Zero;
                        d0[w + c + 1] = k == 3 ? v : T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>The backward of one row pair, eight windows at a time: the same first(·, ·) chain as the forward
    /// gives, per lane, which of the four corners won; dy goes there and zeros elsewhere, then even and odd columns
    /// are interleaved back. Branch-free: the winning corner is random, so a branch per window mispredicts half the
    /// time (the scalar loop ran 37× slower than the forward). Returns how many outputs it handled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BackwardRowAvx2(float* r0, float* r1, float* grad, float* d0, float* d1, int outW)
    {
        const int n = 8;
        if (outW < n) return 0;
        // The last step shifts back to end at outW: it rewrites a few windows with the same values instead of
        // leaving a scalar tail (rows of 7–14 windows are the common case).
        for (int ox = 0; ; ox += n)
        {
            if (ox + n > outW) ox = outW - n;
            var (e0, o0) = Split(Vector256.Load(r0 + 2 * ox), Vector256.Load(r0 + 2 * ox + n));
            var (e1, o1) = Split(Vector256.Load(r1 + 2 * ox), Vector256.Load(r1 + 2 * ox + n));
            var c1 = Later(e0, o0);
            var acc = Vector256.ConditionalSelect(c1, o0, e0);
            var c2 = Later(acc, e1);
            acc = Vector256.ConditionalSelect(c2, e1, acc);
            var c3 = Later(acc, o1);
            var v = Vector256.Load(grad + ox);
            var w2 = c2 & ~c3;
            var w1 = c1 & ~c2 & ~c3;
            var w0 = ~(c1 | c2 | c3);
            Interleave(v & w0, v & w1, d0 + 2 * ox);
            Interleave(v & w2, v & c3, d1 + 2 * ox);
            if (ox + n == outW) return outW;
        }
    }

    /// <summary>Lanes where v replaces acc under first(acc, v): v &gt; acc, or v is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Later(Vector256<float> acc, Vector256<float> v) =>
        Vector256.GreaterThan(v, acc) | ~Vector256.Equals(v, v);

    /// <summary>Stores [e0, o0, e1, o1, …, e7, o7] (16 floats) at <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave(Vector256<float> even, Vector256<float> odd, float* dst)
    {
        var lo = Avx.UnpackLow(even, odd);     // e0 o0 e1 o1 | e4 o4 e5 o5
        var hi = Avx.UnpackHigh(even, odd);    // e2 o2 e3 o3 | e6 o6 e7 o7
        Avx.Permute2x128(lo, hi, 0x20).Store(dst);
        Avx.Permute2x128(lo, hi, 0x31).Store(dst + 8);
    }
}
