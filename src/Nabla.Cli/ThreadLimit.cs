using Nabla.Kernels;

namespace Nabla.Cli;

/// <summary>Sets how many threads the kernels use (<c>--threads</c>) until disposed, then restores the previous
/// value, so in-process callers (tests) are left as they were.</summary>
internal sealed class ThreadLimit : IDisposable
{
    private readonly int previous = KernelOptions.MaxThreads;

    /// <summary>Limits the kernels to <paramref name="threads"/> threads.</summary>
    public ThreadLimit(int threads) => KernelOptions.MaxThreads = threads;

    /// <inheritdoc/>
    public void Dispose() => KernelOptions.MaxThreads = previous;
}
