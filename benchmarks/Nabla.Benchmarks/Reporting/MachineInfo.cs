using System.Runtime;
using System.Runtime.InteropServices;
using Nabla.Kernels;

namespace Nabla.Benchmarks.Reporting;

/// <summary>Where and with what the benchmarks ran, for the report's header.</summary>
internal sealed record MachineInfo(
    string DateUtc,
    string Cpu,
    int LogicalCores,
    string Os,
    string Runtime,
    string NablaSimd,
    string Gc,
    string? TorchSharp,
    string? LibTorch,
    string LoadAverageAtStart)
{
    /// <summary>Describes this process; the TorchSharp fields only if <paramref name="torchVersion"/> is given.</summary>
    public static MachineInfo Current(string? torchVersion, string? libTorchVersion) => new(
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        CpuModel(),
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        KernelOptions.X86Level.ToString(),
        (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Interactive ? ", concurrent" : ""),
        torchVersion,
        libTorchVersion,
        LoadAverage());

    /// <summary>One line for the console.</summary>
    public override string ToString() =>
        $"{DateUtc} · {Cpu}, {LogicalCores} logical cores · {Os} · {Runtime} · Nabla SIMD {NablaSimd} · GC {Gc}"
        + (TorchSharp is null ? "" : $" · TorchSharp {TorchSharp} (libtorch {LibTorch})") + $" · load {LoadAverageAtStart}";

    /// <summary>The 1, 5 and 15-minute load averages (/proc/loadavg): other work on a shared machine shows here.</summary>
    public static string LoadAverage()
    {
        const string LoadAvg = "/proc/loadavg";
        return File.Exists(LoadAvg) ? string.Join(" ", File.ReadAllText(LoadAvg).Split(' ').Take(3)) : "?";
    }

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (File.Exists(CpuInfo))
        {
            foreach (string line in File.ReadLines(CpuInfo))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
