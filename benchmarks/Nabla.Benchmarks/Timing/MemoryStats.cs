namespace Nabla.Benchmarks.Timing;

/// <summary>What one library did to the process's memory over a solo block of steps.</summary>
/// <param name="Steps">Steps run.</param>
/// <param name="RssStartMb">Resident memory before the first step, MiB.</param>
/// <param name="RssEndMb">After the last step.</param>
/// <param name="RssMaxMb">The largest sample.</param>
/// <param name="RssSamplesMb">Samples at equal step intervals, the first before step 1 and the last after the end.</param>
/// <param name="AllocatedBytesPerStep">Managed bytes allocated per step, all threads.</param>
/// <param name="Gen0">Gen-0 collections during the block (gen-1 and gen-2 collections count here too).</param>
/// <param name="Gen1">Gen-1 collections.</param>
/// <param name="Gen2">Gen-2 collections.</param>
/// <param name="GcPauseMs">Time the runtime was paused for collections.</param>
/// <param name="ManagedStartMb">Managed heap in use before the first step, MiB, garbage not yet collected included.</param>
/// <param name="ManagedEndMb">After the last step: the part of the resident growth that is managed objects.</param>
/// <param name="MedianMs">Median step time in the block.</param>
internal sealed record MemoryStats(
    int Steps,
    double RssStartMb,
    double RssEndMb,
    double RssMaxMb,
    IReadOnlyList<double> RssSamplesMb,
    double AllocatedBytesPerStep,
    int Gen0,
    int Gen1,
    int Gen2,
    double GcPauseMs,
    double ManagedStartMb,
    double ManagedEndMb,
    double MedianMs);
