using Nabla.Benchmarks.Reporting;
using Nabla.Benchmarks.Timing;
using TorchSharp;

namespace Nabla.Benchmarks;

/// <summary>Runs the chosen workloads at each thread count and reports them.</summary>
internal sealed class BenchmarkRunner(BenchmarkOptions options)
{
    /// <summary>Runs every workload in <paramref name="ids"/> at every thread count, prints the table and writes
    /// the JSON report if asked; progress goes to standard error.</summary>
    public IReadOnlyList<WorkloadResult> Run(IReadOnlyList<string> ids)
    {
        bool withTorch = options.WithTorch;
        var machine = withTorch ? MachineInfo.Current(TorchSharpVersion(), torch.__version__) : MachineInfo.Current(null, null);
        Console.WriteLine(machine);
        if (withTorch) LibraryThreads.InitializeTorch();
        if (options.Threads.Any(t => t > Environment.ProcessorCount))
            Console.Error.WriteLine($"note: {Environment.ProcessorCount} logical cores; Nabla uses at most that many threads.");

        var results = new List<WorkloadResult>();
        foreach (string id in ids)
        {
            foreach (int threads in options.Threads) results.Add(RunOne(id, threads, withTorch));
        }

        ResultTable.Write(Console.Out, results, withTorch);
        Console.WriteLine($"load average at the end: {MachineInfo.LoadAverage()}");
        if (options.JsonPath is { } path)
        {
            JsonReport.Write(path, results, machine);
            Console.WriteLine($"JSON: {Path.GetFullPath(path)}");
        }

        return results;
    }

    private WorkloadResult RunOne(string id, int threads, bool withTorch)
    {
        LibraryThreads.Set(threads, withTorch);
        using var workload = WorkloadRegistry.Create(id);
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {id}, {threads} thread(s): {workload.Description}"
            + (withTorch ? $" (TorchSharp threads: {LibraryThreads.TorchThreads()})" : ""));
        workload.Setup(threads, withTorch);

        TimingSettings settings = options.Timing.ForThreads(threads, withTorch);
        Measurement main = new PairedTimer(settings).Measure(workload.NablaStep, withTorch ? workload.TorchStep : null, workload.DefaultSteps);
        var run = new WorkloadRun(threads, withTorch, settings, main);
        if (settings.SettleMs > 0) run.Extra["settle_ms"] = settings.SettleMs;
        AddManagedMemory(run.Extra, "", main.Nabla);
        if (main.Torch is not null) AddManagedMemory(run.Extra, "torch_", main.Torch);
        if (workload.TracksMemory)
        {
            settings.Settle();
            AddMemoryRun(run.Extra, "", MemoryRun.Run(workload.NablaStep, settings.MemorySteps, settings.MemorySeconds));
            settings.Settle();
            if (withTorch) AddMemoryRun(run.Extra, "torch_", MemoryRun.Run(workload.TorchStep, settings.MemorySteps, settings.MemorySeconds));
            settings.Settle();
        }

        workload.AddExtras(run);
        Console.Error.WriteLine($"    Nabla {main.Nabla.MedianMs:F3} ms" + (main.Torch is null ? "" : $", TorchSharp {main.Torch.MedianMs:F3} ms, ratio {main.Ratio:F2}"));
        var result = new WorkloadResult(id, threads, main, run.Extra);

        // Leave no garbage of this workload to be collected during the next one's timing.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return result;
    }

    /// <summary>The managed side of the timed samples: bytes allocated and collections, per library.</summary>
    private static void AddManagedMemory(Dictionary<string, object> extra, string prefix, StepStats stats)
    {
        extra[prefix + "samples"] = stats.Samples;
        if (stats.StepsPerSample > 1) extra[prefix + "steps_per_sample"] = stats.StepsPerSample;
        extra[prefix + "alloc_bytes_per_step"] = stats.AllocatedBytesPerStep;
        extra[prefix + "gen0"] = stats.Gen0;
        extra[prefix + "gen1"] = stats.Gen1;
        extra[prefix + "gen2"] = stats.Gen2;
        extra[prefix + "gc_pause_ms"] = stats.GcPauseMs;
    }

    /// <summary>A solo memory run: resident memory over the steps, and the managed heap.</summary>
    private static void AddMemoryRun(Dictionary<string, object> extra, string prefix, MemoryStats m)
    {
        extra[prefix + "memory_steps"] = m.Steps;
        extra[prefix + "rss_mb_start"] = m.RssStartMb;
        extra[prefix + "rss_mb_end"] = m.RssEndMb;
        extra[prefix + "rss_mb_max"] = m.RssMaxMb;
        extra[prefix + "rss_mb_samples"] = m.RssSamplesMb.Select(r => Math.Round(r, 1)).ToArray();
        extra[prefix + "memory_alloc_bytes_per_step"] = m.AllocatedBytesPerStep;
        extra[prefix + "memory_gen0"] = m.Gen0;
        extra[prefix + "memory_gen1"] = m.Gen1;
        extra[prefix + "memory_gen2"] = m.Gen2;
        extra[prefix + "memory_gc_pause_ms"] = m.GcPauseMs;
        extra[prefix + "managed_mb_start"] = m.ManagedStartMb;
        extra[prefix + "managed_mb_end"] = m.ManagedEndMb;
        extra[prefix + "memory_median_ms"] = m.MedianMs;
    }

    private static string TorchSharpVersion() =>
        typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?";
}
