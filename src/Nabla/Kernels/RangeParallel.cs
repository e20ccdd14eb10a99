namespace Nabla.Kernels;

/// <summary>A kernel's work over independent items [0, count) (image planes, channels, rows), done one
/// contiguous range at a time.</summary>
/// <remarks>Implementations hold only pointers and sizes, so one copy can be read by every thread.</remarks>
internal interface IRangeJob
{
    /// <summary>Processes items [start, end).</summary>
    void Run(int start, int end);
}

/// <summary>Work over items [0, count) split into a known number of parts, each told its part index, so it can
/// accumulate into its own slot of a partial-sum buffer that the caller reduces afterwards.</summary>
internal interface IPartJob
{
    /// <summary>Processes items [start, end) as part <paramref name="part"/>.</summary>
    void Run(int start, int end, int part);
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
    public static void Run<TJob>(in TJob job, int count, long workPerItem) where TJob : unmanaged, IRangeJob =>
        RunInParts(job, count, workPerItem, grain: count);

    /// <summary>As <see cref="Run{TJob}"/>, but when it runs in parallel the items go out in parts of about
    /// <paramref name="grain"/>, taken by whichever thread is free: a worker that wakes late, or a vCPU the host
    /// slows, then does fewer parts instead of holding everyone up. For jobs whose parts pay a small fixed cost
    /// (renting a staging buffer, padding a chunk of images) and take long enough that one part more or less is
    /// the imbalance.</summary>
    public static void RunInParts<TJob>(in TJob job, int count, long workPerItem, int grain) where TJob : unmanaged, IRangeJob
    {
        int parts = Parts(count, workPerItem);
        if (parts <= 1)
        {
            job.Run(0, count);
            return;
        }

        parts = Math.Max(parts, (count + Math.Max(1, grain) - 1) / Math.Max(1, grain));
        var frame = new Frame<TJob> { Job = job, Count = count };
        KernelThreads.Run(&RunPart<TJob>, &frame, parts, Threads, Wake(count, workPerItem));
    }

    /// <summary>How many parts <see cref="Run{TJob}"/> splits this work into (1: the calling thread alone).</summary>
    public static int Parts(int count, long workPerItem)
    {
        long byWork = Math.Max(1, count * Math.Max(1, workPerItem) / MinWorkPerThread);
        return KernelOptions.ForceParallel ? Math.Min(count, Math.Max(Threads, 2)) : (int)Math.Min(Math.Min(count, Threads), byWork);
    }

    /// <summary>Runs <paramref name="job"/> over [0, <paramref name="count"/>) in exactly <paramref name="parts"/> parts
    /// (from <see cref="Parts"/>), part p covering [⌊count·p/parts⌋, ⌊count·(p+1)/parts⌋).</summary>
    public static void RunParts<TJob>(in TJob job, int count, long workPerItem, int parts) where TJob : unmanaged, IPartJob
    {
        if (parts <= 1)
        {
            job.Run(0, count, 0);
            return;
        }

        var frame = new PartFrame<TJob> { Job = job, Count = count };
        KernelThreads.Run(&RunNumberedPart<TJob>, &frame, parts, Threads, Wake(count, workPerItem));
    }

    private static int Threads => Math.Min(KernelOptions.MaxThreads, Environment.ProcessorCount);

    private static bool Wake(int count, long workPerItem) => count * Math.Max(1, workPerItem) >= WakeMinWork;

    private struct PartFrame<TJob> where TJob : unmanaged, IPartJob
    {
        public TJob Job;
        public int Count;
    }

    private static void RunNumberedPart<TJob>(void* state, int part, int parts) where TJob : unmanaged, IPartJob
    {
        var frame = (PartFrame<TJob>*)state;
        int start = (int)((long)frame->Count * part / parts), end = (int)((long)frame->Count * (part + 1) / parts);
        frame->Job.Run(start, end, part);
    }

    private static void RunPart<TJob>(void* state, int part, int parts) where TJob : unmanaged, IRangeJob
    {
        var frame = (Frame<TJob>*)state;
        int start = (int)((long)frame->Count * part / parts), end = (int)((long)frame->Count * (part + 1) / parts);
        if (start < end) frame->Job.Run(start, end);
    }
}
