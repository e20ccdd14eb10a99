using Nabla.Kernels;
using TorchSharp;

namespace Nabla.Benchmarks;

/// <summary>Sets how many threads each library's kernels use.</summary>
internal static class LibraryThreads
{
    /// <summary>Once, before TorchSharp runs anything: libtorch allows setting the inter-op pool only then.</summary>
    /// <remarks>Eager CPU ops parallelize on the intra-op pool (<c>set_num_threads</c>); the inter-op pool serves
    /// only asynchronous and TorchScript work, so one thread keeps idle threads off a small machine.</remarks>
    public static void InitializeTorch() => torch.set_num_interop_threads(1);

    /// <summary>Nabla's kernels and, if <paramref name="withTorch"/>, libtorch's intra-op pool (OpenMP and MKL)
    /// get <paramref name="threads"/> threads each.</summary>
    public static void Set(int threads, bool withTorch)
    {
        KernelOptions.MaxThreads = threads;
        if (withTorch) torch.set_num_threads(threads);
    }

    /// <summary>What TorchSharp reports it uses, for the log.</summary>
    public static int TorchThreads() => torch.get_num_threads();
}
