using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Nabla.Cli.Lab.Experiments.TransformerParallelism;

/// <summary>CPU time consumed by this process, to the nanosecond on Linux (<c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>);
/// elsewhere <see cref="Process.TotalProcessorTime"/>, which Linux only updates every 10 ms tick, too coarse for
/// steps of a few milliseconds.</summary>
internal static partial class ProcessCpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    /// <summary>Seconds of CPU time used by all of this process's threads so far.</summary>
    public static double Seconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockProcessCpuTimeId, out var time) == 0)
            return time.Seconds + time.Nanoseconds * 1e-9;
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);
}
