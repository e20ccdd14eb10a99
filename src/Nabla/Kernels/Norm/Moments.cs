using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Kernels.Norm;

/// <summary>The fused loops of the normalization kernels: sums and centred sums for the statistics, the normalizing
/// affine map, and the affine form of the input gradient, each one pass over its spans.</summary>
/// <remarks>
/// Vectorized with <see cref="Vector{T}"/> (256-bit here, which on this hardware executes AVX-512's two 256-bit
/// pipes at full rate anyway), four accumulators deep; each keeps its scalar loop, which
/// <see cref="KernelOptions.SimdEnabled"/> = false selects. Sums are accumulated per block of <see cref="Block"/>
/// elements in the element type and the block sums added in double, so float32 rounding grows with the block, not
/// with the plane (PyTorch's CPU batch norm likewise accumulates float in double). Centred sums subtract the mean
/// first, so Σ(x − μ)² has no cancellation when |μ| ≫ σ.
/// </remarks>
internal static class Moments
{
    private const int Block = 4096;

    private static bool Simd<T>(int length) where T : unmanaged =>
        Vector.IsHardwareAccelerated && KernelOptions.SimdEnabled && length >= 4 * Vector<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(ref T start, int i) where T : unmanaged =>
        Unsafe.ReadUnaligned<Vector<T>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref start, i)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector<T> v, ref T start, int i) where T : unmanaged =>
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref start, i)), v);

    /// <summary>Σ x.</summary>
    public static double Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Blocks(x, default, T.Zero, Reduction.Sum);

    /// <summary>Σ (x − mean)².</summary>
    public static double SquaredDeviations<T>(ReadOnlySpan<T> x, T mean) where T : unmanaged, IFloatingPointIeee754<T> =>
        Blocks(x, default, mean, Reduction.Squares);

    /// <summary>Σ a·(x − mean).</summary>
    public static double DotCentered<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> x, T mean) where T : unmanaged, IFloatingPointIeee754<T> =>
        Blocks(x, a, mean, Reduction.Dot);

    private enum Reduction { Sum, Squares, Dot }

    /// <summary>One of the three sums, block by block, the block results added in double.</summary>
    private static double Blocks<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> a, T mean, Reduction kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double total = 0;
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            var xs = x.Slice(start, n);
            T part = kind switch
            {
                Reduction.Sum => BlockSum(xs),
                Reduction.Squares => BlockDot(xs, xs, mean, same: true),
                _ => BlockDot(xs, a.Slice(start, n), mean, same: false),
            };
            total += double.CreateTruncating(part);
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T BlockSum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T px = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        T sum = T.Zero;
        if (Simd<T>(n))
        {
            int w = Vector<T>.Count;
            Vector<T> s0 = Vector<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; i + 4 * w <= n; i += 4 * w)
            {
                s0 += Load(ref px, i);
                s1 += Load(ref px, i + w);
                s2 += Load(ref px, i + 2 * w);
                s3 += Load(ref px, i + 3 * w);
            }
            for (; i + w <= n; i += w) s0 += Load(ref px, i);
            sum = Vector.Sum((s0 + s1) + (s2 + s3));
        }
        for (; i < n; i++) sum += Unsafe.Add(ref px, i);
        return sum;
    }

    /// <summary>Σ a·(x − mean) over one block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T BlockDot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> a, T mean, bool same) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T pa = ref MemoryMarshal.GetReference(a);
        int n = x.Length, i = 0;
        T sum = T.Zero;
        if (Simd<T>(n))
        {
            int w = Vector<T>.Count;
            var m = new Vector<T>(mean);
            Vector<T> s0 = Vector<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; i + 4 * w <= n; i += 4 * w)
            {
                Vector<T> d0 = Load(ref px, i) - m, d1 = Load(ref px, i + w) - m, d2 = Load(ref px, i + 2 * w) - m, d3 = Load(ref px, i + 3 * w) - m;
                if (same) { s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3; }
                else
                {
                    s0 += Load(ref pa, i) * d0;
                    s1 += Load(ref pa, i + w) * d1;
                    s2 += Load(ref pa, i + 2 * w) * d2;
                    s3 += Load(ref pa, i + 3 * w) * d3;
                }
            }
            for (; i + w <= n; i += w)
            {
                var d = Load(ref px, i) - m;
                s0 += (same ? d : Load(ref pa, i)) * d;
            }
            sum = Vector.Sum((s0 + s1) + (s2 + s3));
        }
        for (; i < n; i++)
        {
            T d = Unsafe.Add(ref px, i) - mean;
            sum += (same ? d : Unsafe.Add(ref pa, i)) * d;
        }
        return sum;
    }

    /// <summary>y = x·scale + shift.</summary>
    public static void ScaleShift<T>(ReadOnlySpan<T> x, T scale, T shift, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        ScaleShiftAffine(x, scale, shift, default, default, y);

    /// <summary>y = (x·scale + shift)·γ + β, with γ = 1 or β = 0 where the span is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleShiftAffine<T>(ReadOnlySpan<T> x, T scale, T shift, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T py = ref MemoryMarshal.GetReference(y);
        ref T pg = ref MemoryMarshal.GetReference(gamma);
        ref T pb = ref MemoryMarshal.GetReference(beta);
        bool hasGamma = !gamma.IsEmpty, hasBeta = !beta.IsEmpty;
        int n = x.Length, i = 0;
        if (Simd<T>(n))
        {
            int w = Vector<T>.Count;
            Vector<T> a = new(scale), b = new(shift);
            for (; i + w <= n; i += w)
            {
                var v = Load(ref px, i) * a + b;
                if (hasGamma) v *= Load(ref pg, i);
                if (hasBeta) v += Load(ref pb, i);
                Store(v, ref py, i);
            }
        }
        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref px, i) * scale + shift;
            if (hasGamma) v *= Unsafe.Add(ref pg, i);
            if (hasBeta) v += Unsafe.Add(ref pb, i);
            Unsafe.Add(ref py, i) = v;
        }
    }

    /// <summary>dx = dy·c1 + (x − mean)·c2 + c3: the form every normalization's input gradient takes for one channel
    /// or row (c2 = c3 = 0 when the statistics are constants, as in evaluation mode).</summary>
    public static void AffineGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, T mean, T c1, T c2, T c3, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> => AffineGradient(dy, default, x, mean, c1, c2, c3, dx);

    /// <summary>dx = dy·γ·c1 + (x − mean)·c2 + c3 (γ = 1 when empty).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AffineGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> gamma, ReadOnlySpan<T> x, T mean, T c1, T c2, T c3, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T pdy = ref MemoryMarshal.GetReference(dy);
        ref T pg = ref MemoryMarshal.GetReference(gamma);
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T pdx = ref MemoryMarshal.GetReference(dx);
        bool hasGamma = !gamma.IsEmpty;
        int n = dy.Length, i = 0;
        if (Simd<T>(n))
        {
            int w = Vector<T>.Count;
            Vector<T> m = new(mean), k1 = new(c1), k2 = new(c2), k3 = new(c3);
            for (; i + w <= n; i += w)
            {
                var g = Load(ref pdy, i);
                if (hasGamma) g *= Load(ref pg, i);
                Store(g * k1 + (Load(ref px, i) - m) * k2 + k3, ref pdx, i);
            }
        }
        for (; i < n; i++)
        {
            T g = Unsafe.Add(ref pdy, i);
            if (hasGamma) g *= Unsafe.Add(ref pg, i);
            Unsafe.Add(ref pdx, i) = g * c1 + (Unsafe.Add(ref px, i) - mean) * c2 + c3;
        }
    }

    /// <summary>Σ g and Σ g·(x − mean) with g = dy·γ (γ = 1 when empty), in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double SumG, double DotG) GradientSums<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> gamma, ReadOnlySpan<T> x, T mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sumTotal = 0, dotTotal = 0;
        bool hasGamma = !gamma.IsEmpty;
        for (int start = 0; start < dy.Length; start += Block)
        {
            int n = Math.Min(Block, dy.Length - start), i = 0;
            ref T pdy = ref MemoryMarshal.GetReference(dy.Slice(start, n));
            ref T px = ref MemoryMarshal.GetReference(x.Slice(start, n));
            ref T pg = ref hasGamma ? ref MemoryMarshal.GetReference(gamma.Slice(start, n)) : ref pdy;
            T sum = T.Zero, dot = T.Zero;
            if (Simd<T>(n))
            {
                int w = Vector<T>.Count;
                var m = new Vector<T>(mean);
                Vector<T> s0 = Vector<T>.Zero, s1 = s0, d0 = s0, d1 = s0;
                for (; i + 2 * w <= n; i += 2 * w)
                {
                    Vector<T> g0 = Load(ref pdy, i), g1 = Load(ref pdy, i + w);
                    if (hasGamma) { g0 *= Load(ref pg, i); g1 *= Load(ref pg, i + w); }
                    s0 += g0;
                    s1 += g1;
                    d0 += g0 * (Load(ref px, i) - m);
                    d1 += g1 * (Load(ref px, i + w) - m);
                }
                sum = Vector.Sum(s0 + s1);
                dot = Vector.Sum(d0 + d1);
            }
            for (; i < n; i++)
            {
                T g = Unsafe.Add(ref pdy, i);
                if (hasGamma) g *= Unsafe.Add(ref pg, i);
                sum += g;
                dot += g * (Unsafe.Add(ref px, i) - mean);
            }
            sumTotal += double.CreateTruncating(sum);
            dotTotal += double.CreateTruncating(dot);
        }
        return (sumTotal, dotTotal);
    }

    /// <summary>dγ += dy·(x·scale + shift) and dβ += dy (either target may be empty): one row of the affine gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateAffine<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, T scale, T shift, Span<T> dGamma, Span<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T pdy = ref MemoryMarshal.GetReference(dy);
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T pdg = ref MemoryMarshal.GetReference(dGamma);
        ref T pdb = ref MemoryMarshal.GetReference(dBeta);
        bool gamma = !dGamma.IsEmpty, beta = !dBeta.IsEmpty;
        int n = dy.Length, i = 0;
        if (Simd<T>(n))
        {
            int w = Vector<T>.Count;
            Vector<T> a = new(scale), b = new(shift);
            for (; i + w <= n; i += w)
            {
                var g = Load(ref pdy, i);
                if (gamma) Store(Load(ref pdg, i) + g * (Load(ref px, i) * a + b), ref pdg, i);
                if (beta) Store(Load(ref pdb, i) + g, ref pdb, i);
            }
        }
        for (; i < n; i++)
        {
            T g = Unsafe.Add(ref pdy, i);
            if (gamma) Unsafe.Add(ref pdg, i) += g * (Unsafe.Add(ref px, i) * scale + shift);
            if (beta) Unsafe.Add(ref pdb, i) += g;
        }
    }
}
