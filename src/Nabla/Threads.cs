using Nabla.Kernels;

namespace Nabla;

/// <summary>How many threads Nabla's kernels may use (<c>torch.set_num_threads</c> / <c>get_num_threads</c>).</summary>
/// <remarks>Default: every core. Kernels split work only above sizes where a second thread was measured to pay.</remarks>
public static class Threads
{
    /// <summary>The maximum number of threads a kernel uses; at least 1.</summary>
    public static int Count
    {
        get => KernelOptions.MaxThreads;
        set => KernelOptions.MaxThreads = value;
    }
}
