using Nabla.Benchmarks.Timing;

namespace Nabla.Benchmarks;

/// <summary>What a workload sees when it adds its own metrics: the main measurement and a timer for more.</summary>
internal sealed class WorkloadRun(int threads, bool withTorch, TimingSettings settings, Measurement main)
{
    private readonly PairedTimer _timer = new(settings);

    /// <summary>The thread count both libraries run with.</summary>
    public int Threads { get; } = threads;

    /// <summary>Whether TorchSharp runs (false under <c>--no-torch</c>).</summary>
    public bool WithTorch { get; } = withTorch;

    /// <summary>The warm-up, budget and memory-run settings of this invocation.</summary>
    public TimingSettings Settings { get; } = settings;

    /// <summary>The timing of the workload's own steps.</summary>
    public Measurement Main { get; } = main;

    /// <summary>Metrics for the report's <c>extra</c> object: numbers, strings, lists or nested dictionaries.</summary>
    public Dictionary<string, object> Extra { get; } = [];

    /// <summary>Pauses until the helper threads of the library that just ran are idle (multi-threaded runs only);
    /// call it between blocks of one library's steps and the other's, as the timer does.</summary>
    public void Settle() => Settings.Settle();

    /// <summary>Times another pair of steps (a second problem size, say) exactly as the main steps were timed.</summary>
    public Measurement Measure(Action nabla, Action torch, int defaultSteps) =>
        _timer.Measure(nabla, WithTorch ? torch : null, defaultSteps);
}
