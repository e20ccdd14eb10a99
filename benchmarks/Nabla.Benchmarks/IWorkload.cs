namespace Nabla.Benchmarks;

/// <summary>One benchmark workload: the same computation written once with Nabla and once with TorchSharp.</summary>
/// <remarks>
/// The runner creates a fresh instance per thread count, sets both libraries' thread counts, calls
/// <see cref="Setup"/>, times <see cref="NablaStep"/> against <see cref="TorchStep"/> in alternation, and then lets
/// the workload add its own metrics through <see cref="AddExtras"/>. A new workload is one class implementing this
/// interface plus its line in <see cref="WorkloadRegistry"/>.
/// </remarks>
internal interface IWorkload : IDisposable
{
    /// <summary>The name used on the command line (<c>--only gemm</c>) and in the JSON report.</summary>
    string Id { get; }

    /// <summary>What one step computes, in one line.</summary>
    string Description { get; }

    /// <summary>Timed steps per library when <c>--steps</c> is not given (the runner may cut them to its time budget).</summary>
    int DefaultSteps { get; }

    /// <summary>Whether the runner should also run each library alone for a block of steps and sample resident
    /// memory, managed allocation and GC counts (see <see cref="Timing.MemoryRun"/>).</summary>
    bool TracksMemory => false;

    /// <summary>Builds models, optimizers and data; TorchSharp's side only when <paramref name="withTorch"/>.</summary>
    /// <remarks>Called once, after both libraries' thread counts are set to <paramref name="threads"/>.</remarks>
    void Setup(int threads, bool withTorch);

    /// <summary>One step with Nabla (a training step: forward, loss, zero_grad, backward, optimizer step).</summary>
    void NablaStep();

    /// <summary>The same step with TorchSharp; every tensor it creates must be disposed before it returns.</summary>
    void TorchStep();

    /// <summary>Adds workload-specific metrics to <see cref="WorkloadRun.Extra"/>; may time more step pairs.</summary>
    void AddExtras(WorkloadRun run) { }
}
