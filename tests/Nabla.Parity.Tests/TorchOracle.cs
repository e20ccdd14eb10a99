using TorchSharp;

namespace Nabla.Parity.Tests;

/// <summary>TorchSharp, the oracle: set up once per process, and float32 values carried in and out of it.</summary>
/// <remarks>
/// One intra-op thread: the oracle's reductions then sum in a fixed order, so a parity failure reproduces exactly,
/// and xunit's parallel test classes do not oversubscribe the machine's cores with libtorch's own thread pool.
/// </remarks>
internal static class TorchOracle
{
    static TorchOracle()
    {
        torch.set_num_threads(1);
        torch.manual_seed(0);
    }

    /// <summary>The libtorch version TorchSharp runs on, e.g. "2.10.0.0".</summary>
    public static string Version => torch.__version__;

    /// <summary>A float32 CPU tensor of <paramref name="shape"/> holding <paramref name="values"/> in row-major order.</summary>
    public static torch.Tensor Tensor(float[] values, long[] shape, bool requiresGrad = false)
    {
        long count = shape.Aggregate(1L, (product, dim) => product * dim);
        if (count != values.Length)
            throw new ArgumentException($"TorchOracle.Tensor: shape [{string.Join(", ", shape)}] holds {count} values, but {values.Length} were given.", nameof(values));
        return torch.tensor(values, shape, dtype: torch.float32, requires_grad: requiresGrad);
    }

    /// <summary>The values of <paramref name="tensor"/> as float32, row-major, detached from its graph.</summary>
    public static float[] Values(torch.Tensor tensor)
    {
        using var contiguous = tensor.detach().to(torch.float32).contiguous();
        return contiguous.data<float>().ToArray();
    }
}
