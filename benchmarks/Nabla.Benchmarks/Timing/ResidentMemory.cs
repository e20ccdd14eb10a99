using System.Globalization;

namespace Nabla.Benchmarks.Timing;

/// <summary>The process's resident set size: managed heap, native allocations (libtorch's) and code alike.</summary>
internal static class ResidentMemory
{
    private const string StatusFile = "/proc/self/status";

    /// <summary>Resident memory now, in MiB: VmRSS from /proc/self/status on Linux, else the working set.</summary>
    public static double Megabytes()
    {
        if (File.Exists(StatusFile))
        {
            foreach (string line in File.ReadLines(StatusFile))
            {
                // "VmRSS:     123456 kB"
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                string kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return Environment.WorkingSet / (1024.0 * 1024.0);
    }
}
