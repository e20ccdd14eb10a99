using System.Diagnostics;

namespace Nabla.Benchmarks.Timing;

/// <summary>Runs one library alone for a block of steps and watches the process's memory.</summary>
/// <remarks>
/// Solo, because resident memory belongs to the whole process: while only one library runs, a change in it is
/// that library's. A flat resident size over a thousand steps shows that nothing leaks and that the step's
/// buffers are reused (by the pool on Nabla's side, by the allocator after TorchSharp disposes them).
/// </remarks>
internal static class MemoryRun
{
    private const int Intervals = 10;

    /// <summary>Runs <paramref name="steps"/> steps of <paramref name="step"/>, sampling resident memory
    /// <see cref="Intervals"/> + 1 times; stops at a sampling point once <paramref name="maxSeconds"/> have passed.</summary>
    public static MemoryStats Run(Action step, int steps, double maxSeconds)
    {
        double managedStart = ManagedMegabytes();
        var rss = new List<double>(Intervals + 1) { ResidentMemory.Megabytes() };
        var stepMs = new double[steps];
        int every = Math.Max(1, steps / Intervals);
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        TimeSpan pause = GC.GetTotalPauseDuration();
        long begin = Stopwatch.GetTimestamp();
        int done = 0;
        while (done < steps)
        {
            long start = Stopwatch.GetTimestamp();
            step();
            stepMs[done++] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (done % every != 0 && done != steps) continue;
            rss.Add(ResidentMemory.Megabytes());
            if (Stopwatch.GetElapsedTime(begin).TotalSeconds > maxSeconds) break;
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        Array.Sort(stepMs, 0, done);
        return new MemoryStats(done, rss[0], rss[^1], rss.Max(), rss, (double)allocated / done,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2,
            (GC.GetTotalPauseDuration() - pause).TotalMilliseconds, managedStart, ManagedMegabytes(),
            StepSampler.Median(new ArraySegment<double>(stepMs, 0, done)));
    }

    /// <summary>Bytes the managed heap holds now, without forcing a collection, in MiB.</summary>
    private static double ManagedMegabytes() => GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0);
}
