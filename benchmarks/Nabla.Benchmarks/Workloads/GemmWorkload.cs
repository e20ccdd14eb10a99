using Nabla.Benchmarks.Timing;
using TorchSharp;
using NablaGemm = Nabla.Kernels.Gemm.Gemm;

namespace Nabla.Benchmarks.Workloads;

/// <summary>Square float32 matrix products C = A·B, n = 256 … 2048: Nabla's Sgemm kernel against <c>torch.mm</c>.</summary>
/// <remarks>
/// The step is n = 2048; <see cref="AddExtras"/> times the smaller sizes the same way and reports every size's
/// GFLOPS, 2n³ / t. Nabla writes into a preallocated C (β = 0); <c>torch.mm</c> returns a new tensor, disposed at
/// once, as a TorchSharp user would write it (the allocator reuses the block, so this costs microseconds).
/// </remarks>
internal sealed class GemmWorkload : IWorkload
{
    private const int MainSize = 2048;
    private static readonly int[] Sizes = [256, 512, 1024, MainSize];

    private readonly Dictionary<int, (float[] A, float[] B, float[] C)> _nabla = [];
    private readonly Dictionary<int, (torch.Tensor A, torch.Tensor B)> _torch = [];

    public string Id => "gemm";

    public string Description => "C = A·B, float32, square n = 256, 512, 1024, 2048 (time: n = 2048)";

    public int DefaultSteps => 30;

    public void Setup(int threads, bool withTorch)
    {
        var random = new Random(42);
        foreach (int n in Sizes)
        {
            float[] a = RandomMatrix(random, n), b = RandomMatrix(random, n);
            _nabla[n] = (a, b, new float[n * n]);
            if (withTorch) _torch[n] = (torch.tensor(a, [n, n]), torch.tensor(b, [n, n]));
        }
    }

    public void NablaStep() => Nabla(MainSize);

    public void TorchStep() => Torch(MainSize);

    public void AddExtras(WorkloadRun run)
    {
        var gflops = new Dictionary<string, double>();
        var torchGflops = new Dictionary<string, double>();
        var ratios = new Dictionary<string, double>();
        foreach (int n in Sizes)
        {
            // (2048 / n)² times the main size's steps: small products are quick and noisier; the budget caps the time.
            int steps = DefaultSteps * (MainSize / n) * (MainSize / n);
            Measurement m = n == MainSize ? run.Main : run.Measure(() => Nabla(n), () => Torch(n), steps);
            gflops[Key(n)] = Gflops(n, m.Nabla.MedianMs);
            if (m.Torch is null) continue;
            torchGflops[Key(n)] = Gflops(n, m.Torch.MedianMs);
            ratios[Key(n)] = m.Ratio!.Value;  // not null: TorchSharp ran
        }

        run.Extra["gflops"] = gflops;
        if (run.WithTorch)
        {
            run.Extra["torch_gflops"] = torchGflops;
            run.Extra["ratio_by_size"] = ratios;
        }
    }

    public void Dispose()
    {
        foreach (var (a, b) in _torch.Values)
        {
            a.Dispose();
            b.Dispose();
        }

        _torch.Clear();
    }

    private void Nabla(int n)
    {
        var (a, b, c) = _nabla[n];
        NablaGemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
    }

    private void Torch(int n)
    {
        var (a, b) = _torch[n];
        using var c = torch.mm(a, b);
    }

    private static string Key(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>2n³ floating-point operations (n³ multiply-adds) per product.</summary>
    private static double Gflops(int n, double ms) => 2.0 * n * n * n / (ms * 1e-3) / 1e9;

    private static float[] RandomMatrix(Random random, int n)
    {
        var m = new float[n * n];
        for (int i = 0; i < m.Length; i++) m[i] = random.NextSingle() * 2 - 1;
        return m;
    }
}
