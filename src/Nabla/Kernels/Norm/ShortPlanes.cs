using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels.Norm;

/// <summary>
/// Batch normalization's per-channel loops for float32 planes shorter than <see cref="Limit"/> (a DCGAN's 7×7 maps):
/// one loop over a channel's N planes, each plane as 16-float vectors with a masked last one, where
/// <see cref="Moments"/> is called once per plane and for 49 floats the call, the tail loop and the horizontal sum
/// cost more than the arithmetic.
/// </summary>
/// <remarks>The planes of one channel are n planes <c>stride</c> floats apart. Sums follow <see cref="Moments"/>:
/// accumulated in float for about <see cref="Moments"/>' block of 4096 values, the block sums added in double, and
/// the squared deviations taken about the mean, so the precision is the same.</remarks>
internal static unsafe class ShortPlanes
{
    /// <summary>Planes shorter than this take these loops.</summary>
    public const int Limit = 256;

    // Values accumulated in float before the partial sum moves into the double total (Moments.Block).
    private const int Block = 4096;

    /// <summary>Whether these loops run: float32 planes of 2 … <see cref="Limit"/> − 1 values, with AVX-512.</summary>
    public static bool Applies<T>(int s) => typeof(T) == typeof(float) && s > 1 && s < Limit && KernelOptions.X86Level == SimdLevel.Avx512;

    /// <summary>Σ x over the channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum(float* x, int n, nint stride, int s)
    {
        var tail = TailMask(s);
        int full = s & ~15, planesPerBlock = Math.Max(1, Block / s);
        double total = 0;
        var acc = Vector512<float>.Zero;
        for (int i = 0; i < n; i++)
        {
            float* plane = x + i * stride;
            for (int k = 0; k < full; k += 16) acc += Vector512.Load(plane + k);
            if (full < s) acc += Avx512F.MaskLoad(plane + full, tail, Vector512<float>.Zero);
            if ((i + 1) % planesPerBlock == 0) (total, acc) = (total + Vector512.Sum(acc), Vector512<float>.Zero);
        }
        return total + Vector512.Sum(acc);
    }

    /// <summary>Σ (x − mean)² over the channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredDeviations(float* x, int n, nint stride, int s, float mean)
    {
        var tail = TailMask(s);
        var mu = Vector512.Create(mean);
        int full = s & ~15, planesPerBlock = Math.Max(1, Block / s);
        double total = 0;
        var acc = Vector512<float>.Zero;
        for (int i = 0; i < n; i++)
        {
            float* plane = x + i * stride;
            for (int k = 0; k < full; k += 16)
            {
                var d = Vector512.Load(plane + k) - mu;
                acc = Avx512F.FusedMultiplyAdd(d, d, acc);
            }
            if (full < s)
            {
                var d = Vector512.ConditionalSelect(tail, Avx512F.MaskLoad(plane + full, tail, Vector512<float>.Zero) - mu, Vector512<float>.Zero);
                acc = Avx512F.FusedMultiplyAdd(d, d, acc);
            }
            if ((i + 1) % planesPerBlock == 0) (total, acc) = (total + Vector512.Sum(acc), Vector512<float>.Zero);
        }
        return total + Vector512.Sum(acc);
    }

    /// <summary>Σ dy and Σ dy·(x − mean) over the channel, in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double SumDy, double Dot) SumAndDot(float* dy, float* x, int n, nint stride, int s, float mean)
    {
        var tail = TailMask(s);
        var mu = Vector512.Create(mean);
        int full = s & ~15, planesPerBlock = Math.Max(1, Block / s);
        double sumTotal = 0, dotTotal = 0;
        Vector512<float> sum = Vector512<float>.Zero, dot = Vector512<float>.Zero;
        for (int i = 0; i < n; i++)
        {
            float* g = dy + i * stride, plane = x + i * stride;
            for (int k = 0; k < full; k += 16)
            {
                var gk = Vector512.Load(g + k);
                sum += gk;
                dot = Avx512F.FusedMultiplyAdd(gk, Vector512.Load(plane + k) - mu, dot);
            }
            if (full < s)
            {
                // Masked-off lanes load 0 for dy, so they add nothing to either sum.
                var gk = Avx512F.MaskLoad(g + full, tail, Vector512<float>.Zero);
                sum += gk;
                dot = Avx512F.FusedMultiplyAdd(gk, Avx512F.MaskLoad(plane + full, tail, Vector512<float>.Zero) - mu, dot);
            }
            if ((i + 1) % planesPerBlock == 0)
            {
                (sumTotal, dotTotal) = (sumTotal + Vector512.Sum(sum), dotTotal + Vector512.Sum(dot));
                (sum, dot) = (Vector512<float>.Zero, Vector512<float>.Zero);
            }
        }
        return (sumTotal + Vector512.Sum(sum), dotTotal + Vector512.Sum(dot));
    }

    /// <summary>y = x·scale + shift over the channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleShift(float* x, float* y, int n, nint stride, int s, float scale, float shift)
    {
        var tail = TailMask(s);
        Vector512<float> a = Vector512.Create(scale), b = Vector512.Create(shift);
        int full = s & ~15;
        for (int i = 0; i < n; i++)
        {
            float* src = x + i * stride, dst = y + i * stride;
            for (int k = 0; k < full; k += 16) Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(src + k), a, b), dst + k);
            if (full < s) Avx512F.MaskStore(dst + full, tail, Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(src + full, tail, Vector512<float>.Zero), a, b));
        }
    }

    /// <summary>dx = dy·c1 + (x − mean)·c2 + c3 over the channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AffineGradient(float* dy, float* x, float* dx, int n, nint stride, int s, float mean, float c1, float c2, float c3)
    {
        var tail = TailMask(s);
        Vector512<float> mu = Vector512.Create(mean), v1 = Vector512.Create(c1), v2 = Vector512.Create(c2), v3 = Vector512.Create(c3);
        int full = s & ~15;
        for (int i = 0; i < n; i++)
        {
            float* g = dy + i * stride, plane = x + i * stride, dst = dx + i * stride;
            for (int k = 0; k < full; k += 16)
                Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(g + k), v1, Avx512F.FusedMultiplyAdd(Vector512.Load(plane + k) - mu, v2, v3)), dst + k);
            if (full < s)
            {
                var gk = Avx512F.MaskLoad(g + full, tail, Vector512<float>.Zero);
                var xk = Avx512F.MaskLoad(plane + full, tail, Vector512<float>.Zero);
                Avx512F.MaskStore(dst + full, tail, Avx512F.FusedMultiplyAdd(gk, v1, Avx512F.FusedMultiplyAdd(xk - mu, v2, v3)));
            }
        }
    }

    /// <summary>Lanes [0, s mod 16) of the last, partial vector of a plane.</summary>
    private static Vector512<float> TailMask(int s) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(s & 15)).AsSingle();
}
