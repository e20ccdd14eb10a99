namespace Nabla.Kernels;

/// <summary>Restores this thread's kernel options to what they were before <see cref="KernelOptions.OverrideForTesting"/>.</summary>
internal readonly struct KernelOptionsScope(SimdLevel? simdLimit, int threads, bool forceParallel) : IDisposable
{
    /// <summary>Puts back the options saved when the scope was opened.</summary>
    public void Dispose() => KernelOptions.Restore(simdLimit, threads, forceParallel);
}
