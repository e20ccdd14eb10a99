using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Kernels.Fft;

/// <summary>The DFT of a real signal of length N: X[k] for k ∈ [0, N/2] (the rest is conj(X[N − k])).</summary>
/// <remarks>
/// Even N packs the signal as z[m] = x[2m] + i·x[2m+1], m &lt; M = N/2, and runs one complex FFT of length M:
/// with Z = FFT(z), E[k] = (Z[k] + conj(Z[M−k]))/2 and O[k] = (Z[k] − conj(Z[M−k]))/(2i) are the DFTs of the even and
/// odd samples, and X[k] = E[k] + e^{−2πik/N}·O[k] (<see cref="Split{TL, TV}"/>). <see cref="Merge{TL, TV}"/>
/// inverts it. Odd N runs the complex FFT of length N on (x, 0).
/// </remarks>
internal sealed class RealFftPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly ConcurrentDictionary<int, RealFftPlan<T>> s_cache = new();

    private RealFftPlan(int length)
    {
        Length = length;
        IsEven = length % 2 == 0;
        Complex = FftPlan<T>.Get(IsEven ? length / 2 : length);
        Bins = length / 2 + 1;
        int m = length / 2;
        SplitRe = new T[m + 1];
        SplitIm = new T[m + 1];
        for (int k = 0; k <= m && IsEven; k++)
        {
            double angle = -2 * Math.PI * k / length;
            SplitRe[k] = T.CreateTruncating(Math.Cos(angle));
            SplitIm[k] = T.CreateTruncating(Math.Sin(angle));
        }
        Handle = GCHandle.Alloc(this);
    }

    /// <summary>N.</summary>
    public int Length { get; }

    /// <summary>Whether N is even (the packed half-length path).</summary>
    public bool IsEven { get; }

    /// <summary>The complex plan: length N/2 for even N, N for odd.</summary>
    public FftPlan<T> Complex { get; }

    /// <summary>N/2 + 1: the one-sided spectrum's length.</summary>
    public int Bins { get; }

    /// <summary>e^{−2πik/N}, k ∈ [0, N/2] (even N).</summary>
    public T[] SplitRe { get; }

    /// <inheritdoc cref="SplitRe"/>
    public T[] SplitIm { get; }

    /// <summary>A handle to this plan, for unmanaged jobs.</summary>
    public GCHandle Handle { get; }

    /// <summary>The cached plan for length <paramref name="n"/> ≥ 1.</summary>
    public static RealFftPlan<T> Get(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return s_cache.GetOrAdd(n, static m => new RealFftPlan<T>(m));
    }

    /// <summary>The plan behind a handle from <see cref="Handle"/>.</summary>
    public static RealFftPlan<T> From(GCHandle handle) => (RealFftPlan<T>)handle.Target!;   // set in the constructor, never freed

    /// <summary>Even N: from Z = FFT_M(z) in (<paramref name="re"/>, <paramref name="im"/>), writes X[k], k ∈ [0, M], to
    /// (<paramref name="outRe"/>, <paramref name="outIm"/>).</summary>
    public void Split<TL, TV>(ReadOnlySpan<TV> re, ReadOnlySpan<TV> im, Span<TV> outRe, Span<TV> outIm)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged
    {
        int m = Length / 2;
        TV half = TL.Splat(T.CreateTruncating(0.5));
        for (int k = 0; k <= m; k++)
        {
            int k1 = k == m ? 0 : k, k2 = k == 0 ? 0 : m - k;
            TV er = TL.Mul(half, TL.Add(re[k1], re[k2])), ei = TL.Mul(half, TL.Sub(im[k1], im[k2]));
            TV or = TL.Mul(half, TL.Add(im[k1], im[k2])), oi = TL.Mul(half, TL.Sub(re[k2], re[k1]));
            TV wr = TL.Splat(SplitRe[k]), wi = TL.Splat(SplitIm[k]);
            outRe[k] = TL.Add(er, TL.MulSub(wr, or, TL.Mul(wi, oi)));
            outIm[k] = TL.Add(ei, TL.MulAdd(wr, oi, TL.Mul(wi, or)));
        }
    }

    /// <summary>Even N, the inverse of <see cref="Split{TL, TV}"/> up to scale: from X[k], k ∈ [0, M] (imaginary parts
    /// of X[0] and X[M] ignored, as a Hermitian spectrum has none), writes Z[k] = (X[k] + conj X[M−k]) + i·(X[k] − conj X[M−k])·e^{+2πik/N},
    /// k &lt; M, whose unnormalized inverse FFT_M is z[m] = S[2m] + i·S[2m+1] with S[n] = Σ_{k&lt;N} X[k]·e^{+2πikn/N}.</summary>
    public void Merge<TL, TV>(ReadOnlySpan<TV> xr, ReadOnlySpan<TV> xi, Span<TV> re, Span<TV> im)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged
    {
        int m = Length / 2;
        TV zero = TL.Splat(T.Zero);
        for (int k = 0; k < m; k++)
        {
            TV x1r = xr[k], x2r = xr[m - k];
            TV x1i = k == 0 ? zero : xi[k], x2i = k == 0 ? zero : xi[m - k];
            TV ar = TL.Add(x1r, x2r), ai = TL.Sub(x1i, x2i);
            TV dr = TL.Sub(x1r, x2r), di = TL.Add(x1i, x2i);
            TV wr = TL.Splat(SplitRe[k]), wi = TL.Splat(SplitIm[k]);
            // b = d·conj(w)
            TV br = TL.MulAdd(dr, wr, TL.Mul(di, wi)), bi = TL.MulSub(di, wr, TL.Mul(dr, wi));
            re[k] = TL.Sub(ar, bi);
            im[k] = TL.Add(ai, br);
        }
    }
}
