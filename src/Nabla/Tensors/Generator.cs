using System.Numerics;

namespace Nabla.Tensors;

/// <summary>A seedable pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64.</summary>
/// <remarks>
/// One seed reproduces a whole run: initialization, shuffling and dropout all draw from
/// <see cref="Default"/> unless given their own generator. Uniform floats take the top 24 (float32) or 53
/// (float64) bits of a draw, so U ∈ [0, 1). Normals use the Box–Muller transform on two uniforms and cache
/// the second value. The state (four 64-bit words plus the cached normal) can be saved and restored, so a
/// resumed run continues the same random stream. The streams are not PyTorch's (Mersenne Twister + Philox).
/// </remarks>
public sealed class Generator
{
    private ulong s0, s1, s2, s3;
    private double cachedNormal;
    private bool hasCachedNormal;

    /// <summary>Creates a generator from a seed.</summary>
    public Generator(long seed) => ManualSeedThis(seed);

    /// <summary>The process-wide generator used when none is passed.</summary>
    public static Generator Default { get; private set; } = new(0x5EED);

    /// <summary>Reseeds the default generator (<c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(long seed) => Default = new Generator(seed);

    /// <summary>Resets this generator to the stream of <paramref name="seed"/>.</summary>
    public void ManualSeedThis(long seed)
    {
        ulong x = (ulong)seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
        hasCachedNormal = false;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform float in [0, 1).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's method).</summary>
    public long NextInt64(long n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"Generator.NextInt64: bound {n} must be positive.");
        ulong un = (ulong)n;
        ulong threshold = (0UL - un) % un;
        while (true)
        {
            ulong r = NextUInt64();
            ulong hi = Math.BigMul(r, un, out ulong lo);
            if (lo >= threshold) return (long)hi;
        }
    }

    /// <summary>Standard normal N(0, 1) by Box–Muller.</summary>
    public double NextNormal()
    {
        if (hasCachedNormal) { hasCachedNormal = false; return cachedNormal; }
        double u1 = 1.0 - NextDouble();   // (0, 1]: log is finite
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        cachedNormal = r * Math.Sin(2 * Math.PI * u2);
        hasCachedNormal = true;
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The generator's state, to save in a checkpoint.</summary>
    public GeneratorState GetState() => new(s0, s1, s2, s3, cachedNormal, hasCachedNormal);

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(GeneratorState state)
    {
        (s0, s1, s2, s3, cachedNormal, hasCachedNormal) =
            (state.S0, state.S1, state.S2, state.S3, state.CachedNormal, state.HasCachedNormal);
    }
}

/// <summary>The full state of a <see cref="Generator"/>.</summary>
public readonly record struct GeneratorState(ulong S0, ulong S1, ulong S2, ulong S3, double CachedNormal, bool HasCachedNormal);
