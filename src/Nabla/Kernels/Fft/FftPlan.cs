using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Kernels.Fft;

/// <summary>How to compute the complex DFT X[k] = Σₙ x[n]·e^{−2πikn/N} of one length N: a mixed-radix Stockham FFT
/// (factors 4, 2, 3, 5 and primes up to <see cref="MaxDirectRadix"/>), or Bluestein's chirp-z algorithm when N has a
/// larger prime factor. Plans are built once per (length, element type) and cached.</summary>
internal sealed class FftPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The largest prime factor handled by a direct O(p²) butterfly; beyond it Bluestein's O(N log N) is cheaper.</summary>
    public const int MaxDirectRadix = 31;

    private static readonly ConcurrentDictionary<int, FftPlan<T>> s_cache = new();

    private FftPlan(int length)
    {
        Length = length;
        var radices = Factor(length);
        if (radices is null)
        {
            Bluestein = new BluesteinChirp<T>(length);
            Stages = [];
            WorkLength = 2 * Bluestein.Inner.Length + Bluestein.Inner.WorkLength;
        }
        else
        {
            var stages = new FftStage<T>[radices.Count];
            int span = 1;
            for (int i = 0; i < radices.Count; i++)
            {
                int p = radices[i];
                stages[i] = new FftStage<T>(p, span, length / (span * p));
                span *= p;
            }
            Stages = stages;
            WorkLength = 2 * length;
        }
        // Jobs on worker threads are unmanaged structs: they reach the plan through this handle. Plans live for the process.
        Handle = GCHandle.Alloc(this);
    }

    /// <summary>N.</summary>
    public int Length { get; }

    /// <summary>The Stockham passes, first to last (empty for Bluestein plans and for N = 1).</summary>
    public FftStage<T>[] Stages { get; }

    /// <summary>Set when N has a prime factor above <see cref="MaxDirectRadix"/>.</summary>
    public BluesteinChirp<T>? Bluestein { get; }

    /// <summary>Lane vectors of scratch that <see cref="FftLanes.Forward{TL, TV, T}"/> needs (real and imaginary parts together).</summary>
    public int WorkLength { get; }

    /// <summary>A handle to this plan, for unmanaged jobs.</summary>
    public GCHandle Handle { get; }

    /// <summary>The cached plan for length <paramref name="n"/> ≥ 1.</summary>
    public static FftPlan<T> Get(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return s_cache.GetOrAdd(n, static m => new FftPlan<T>(m));
    }

    /// <summary>The plan behind a handle from <see cref="Handle"/>.</summary>
    public static FftPlan<T> From(GCHandle handle) => (FftPlan<T>)handle.Target!;   // set in the constructor, never freed

    /// <summary>The radices of n, 4s first, then 2, 3, 5 and larger primes; null when a prime factor exceeds
    /// <see cref="MaxDirectRadix"/>.</summary>
    private static List<int>? Factor(int n)
    {
        var radices = new List<int>();
        while (n % 4 == 0) { radices.Add(4); n /= 4; }
        foreach (int p in (ReadOnlySpan<int>)[2, 3, 5])
            while (n % p == 0) { radices.Add(p); n /= p; }
        for (int p = 7; p <= MaxDirectRadix && n > 1; p += 2)
            while (n % p == 0) { radices.Add(p); n /= p; }
        return n == 1 ? radices : null;
    }
}

/// <summary>Bluestein's algorithm: with the chirp c_n = e^{−πi·n²/N}, nk = (n² + k² − (k − n)²)/2 gives
/// X[k] = c_k · Σₙ (x[n]·c_n)·conj(c_{k−n}), a convolution computed with power-of-two FFTs of length L ≥ 2N − 1.</summary>
internal sealed class BluesteinChirp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public BluesteinChirp(int n)
    {
        int l = 1;
        while (l < 2 * n - 1) l <<= 1;
        Inner = FftPlan<T>.Get(l);
        ChirpRe = new T[n];
        ChirpIm = new T[n];
        var bRe = new double[l];
        var bIm = new double[l];
        for (int j = 0; j < n; j++)
        {
            // n² mod 2N keeps the angle in [0, 2π) and exact.
            long sq = (long)j * j % (2L * n);
            double angle = -Math.PI * sq / n;
            double cr = Math.Cos(angle), ci = Math.Sin(angle);
            ChirpRe[j] = T.CreateTruncating(cr);
            ChirpIm[j] = T.CreateTruncating(ci);
            // b_j = conj(c_j) at j and at L − j: the circular form of conj(c_{k−n}).
            bRe[j] = cr;
            bIm[j] = -ci;
            if (j > 0) { bRe[l - j] = cr; bIm[l - j] = -ci; }
        }
        // The kernel's spectrum, in double, with the 1/L of the inverse FFT folded in.
        var plan = FftPlan<double>.Get(l);
        var work = new double[plan.WorkLength];
        FftLanes.Forward<ScalarLane<double>, double, double>(plan, bRe, bIm, work);
        KernelRe = new T[l];
        KernelIm = new T[l];
        for (int k = 0; k < l; k++)
        {
            KernelRe[k] = T.CreateTruncating(bRe[k] / l);
            KernelIm[k] = T.CreateTruncating(bIm[k] / l);
        }
    }

    /// <summary>The power-of-two plan of the convolution.</summary>
    public FftPlan<T> Inner { get; }

    /// <summary>c_n, n ∈ [0, N).</summary>
    public T[] ChirpRe { get; }

    /// <inheritdoc cref="ChirpRe"/>
    public T[] ChirpIm { get; }

    /// <summary>FFT_L(b)/L.</summary>
    public T[] KernelRe { get; }

    /// <inheritdoc cref="KernelRe"/>
    public T[] KernelIm { get; }
}
