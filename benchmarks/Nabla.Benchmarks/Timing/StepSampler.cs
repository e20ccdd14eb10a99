using System.Diagnostics;

namespace Nabla.Benchmarks.Timing;

/// <summary>Collects the samples of one library during a measurement: times and managed-memory counters.</summary>
internal sealed class StepSampler(Action step)
{
    private readonly List<double> _sampleMs = [];
    private long _allocatedBytes;
    private int _steps;
    private readonly int[] _collections = new int[3];
    private TimeSpan _gcPause;

    /// <summary>Runs one step and returns its wall time in milliseconds (warm-up; not recorded).</summary>
    public double RunOnce()
    {
        long start = Stopwatch.GetTimestamp();
        step();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Runs <paramref name="count"/> steps as one recorded sample.</summary>
    public void Sample(int count)
    {
        // precise: true counts bytes still in threads' allocation contexts, so short blocks are exact.
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        TimeSpan pause = GC.GetTotalPauseDuration();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++) step();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        _gcPause += GC.GetTotalPauseDuration() - pause;
        _collections[0] += GC.CollectionCount(0) - gen0;
        _collections[1] += GC.CollectionCount(1) - gen1;
        _collections[2] += GC.CollectionCount(2) - gen2;
        _allocatedBytes += GC.GetTotalAllocatedBytes(precise: true) - bytes;
        _steps += count;
        _sampleMs.Add(ms / count);
    }

    /// <summary>The statistics of the recorded samples.</summary>
    public StepStats Stats(int stepsPerSample)
    {
        double[] sorted = [.. _sampleMs.Order()];
        return new StepStats(Median(sorted), sorted[0], sorted[^1], sorted.Length, stepsPerSample,
            (double)_allocatedBytes / _steps, _collections[0], _collections[1], _collections[2], _gcPause.TotalMilliseconds);
    }

    /// <summary>The median of sorted values (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> sorted)
    {
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
