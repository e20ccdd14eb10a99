using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>Process-wide switches for the kernels: thread count and which SIMD paths may run.</summary>
/// <remarks>
/// The environment is read once, at first use: <c>NABLA_SIMD=0</c> forces every kernel onto its scalar path,
/// <c>NABLA_DISABLE_AVX512=1</c> keeps kernels on their Vector256 paths. <c>DOTNET_EnableAVX512=0</c> switches
/// AVX-512 off in the runtime itself, which <see cref="Avx512F.IsSupported"/> reflects. Tests narrow these per
/// thread with <see cref="OverrideForTesting"/>, so tests running in parallel do not disturb each other.
/// </remarks>
internal static class KernelOptions
{
    private static readonly bool s_simdAllowed = Environment.GetEnvironmentVariable("NABLA_SIMD") != "0";

    private static readonly bool s_avx2Available = s_simdAllowed
        && Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;

    private static readonly bool s_avx512Available = s_avx2Available
        && Vector512.IsHardwareAccelerated && Avx512F.IsSupported
        && Environment.GetEnvironmentVariable("NABLA_DISABLE_AVX512") != "1";

    private static int s_maxThreads = Environment.ProcessorCount;

    // Per-thread test overrides; the kernel entry reads them on the calling thread and hands the decision to
    // its worker threads, so an override never leaks into a test running on another thread.
    [ThreadStatic] private static SimdLevel? t_simdLimit;
    [ThreadStatic] private static int t_threadsOverride;
    [ThreadStatic] private static bool t_forceParallel;

    /// <summary>How many threads a kernel may use (the library's Threads setting writes it); at least 1.</summary>
    public static int MaxThreads
    {
        get => t_threadsOverride > 0 ? t_threadsOverride : s_maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_maxThreads = value;
        }
    }

    /// <summary>Whether kernels may use Vector512 (AVX-512F with hardware acceleration, not disabled).</summary>
    public static bool Avx512Enabled => s_avx512Available && Limit >= SimdLevel.Avx512;

    /// <summary>Whether kernels may use Vector256 with FMA (AVX2).</summary>
    public static bool Avx2Enabled => s_avx2Available && Limit >= SimdLevel.Avx2;

    /// <summary>Whether kernels may use SIMD at all; false forces every kernel onto its scalar path.</summary>
    public static bool SimdEnabled => s_simdAllowed && Limit > SimdLevel.Scalar;

    /// <summary>The widest SIMD path the x86 kernels may take on this thread now.</summary>
    public static SimdLevel X86Level =>
        Avx512Enabled ? SimdLevel.Avx512 : Avx2Enabled ? SimdLevel.Avx2 : SimdLevel.Scalar;

    /// <summary>True while a test on this thread asks kernels to go parallel whatever the problem size.</summary>
    public static bool ForceParallel => t_forceParallel;

    private static SimdLevel Limit => t_simdLimit ?? SimdLevel.Avx512;

    /// <summary>
    /// Narrows the options for kernels called on this thread until the returned scope is disposed:
    /// at most <paramref name="maxSimd"/>, exactly <paramref name="threads"/> threads if given, and
    /// parallel splitting regardless of size if <paramref name="forceParallel"/>. For tests.
    /// </summary>
    public static KernelOptionsScope OverrideForTesting(SimdLevel maxSimd = SimdLevel.Avx512, int threads = 0,
        bool forceParallel = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        var scope = new KernelOptionsScope(t_simdLimit, t_threadsOverride, t_forceParallel);
        t_simdLimit = maxSimd;
        t_threadsOverride = threads;
        t_forceParallel = forceParallel;
        return scope;
    }

    internal static void Restore(SimdLevel? simdLimit, int threads, bool forceParallel)
    {
        t_simdLimit = simdLimit;
        t_threadsOverride = threads;
        t_forceParallel = forceParallel;
    }
}
