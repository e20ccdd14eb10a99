namespace Nabla.Kernels;

/// <summary>A kernel's work over independent items [0, count) (image planes, channels, rows), done one
/// contiguous range at a time.</summary>
/// <remarks>Implementations hold only pointers and sizes, so one copy can be read by every thread.</remarks>
internal interface IRangeJob
{
    /// <summary>Processes items [start, end).</summary>
    void Run(int start, int end);
}

/// <summary>Splits a <see cref="IRangeJob"/> into contiguous ranges run on <see cref="KernelThreads"/>, or runs it
/// on the calling thread when the work is too small to pay for a hand-off.</summary>
internal static unsafe class RangeParallel
{
    /// <summary>Element operations below which a second thread does not pay: a hand-off costs about a microsecond,
    /// in which one core streams ~30 K floats.</summary>
    public const long MinWorkPerThread = 1 << 15;

    /// <summary>Element operations from which a sleeping worker is woken (10–50 µs to start, see
    /// <see cref="KernelThreads.Run"/>); below it only workers still spinning from recent work join.</summary>
    public const long WakeMinWork = 1 << 19;

    private struct Frame<TJob> where TJob : unmanaged, IRangeJob
    {
        public TJob Job;
        public int Count;
    }

    /// <summary>Runs <paramref name="job"/> over [0, <paramref name="count"/>); <paramref name="workPerItem"/> is the
    /// rough number of element operations per item, used to decide how many threads to use.</summary>
    public static void Run<TJob>(in TJob job, int count, long workPerItem) where TJob : unmanaged, IRangeJob
    {
        int threads = Math.Min(KernelOptions.MaxThreads, Environment.ProcessorCount);
        long total = count * Math.Max(1, workPerItem);
        long byWork = Math.Max(1, total / MinWorkPerThread);
        int parts = KernelOptions.ForceParallel ? Math.Min(count, Math.Max(threads, 2)) : (int)Math.Min(Math.Min(count, threads), byWork);
        if (parts <= 1)
        {
            job.Run(0, count);
            return;
        }

        var frame = new Frame<TJob> { Job = job, Count = count };
        KernelThreads.Run(&RunPart<TJob>, &frame, parts, threads, total >= WakeMinWork);
    }

    private static void RunPart<TJob>(void* state, int part, int parts) where TJob : unmanaged, IRangeJob
    {
        var frame = (Frame<TJob>*)state;
        int start = (int)((long)frame->Count * part / parts), end = (int)((long)frame->Count * (part + 1) / parts);
        if (start < end) frame->Job.Run(start, end);
    }
}
