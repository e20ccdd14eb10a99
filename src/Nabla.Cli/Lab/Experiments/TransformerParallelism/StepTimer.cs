using System.Diagnostics;

namespace Nabla.Cli.Lab.Experiments.TransformerParallelism;

/// <summary>Median times of training steps, taken in interleaved rounds (A B A B …) so that a slow patch of a shared
/// machine hits every contender alike.</summary>
internal static class StepTimer
{
    /// <summary>A step's median wall-clock seconds and median CPU seconds of the whole process.</summary>
    public readonly record struct Timing(double Wall, double Cpu);

    /// <summary>Runs each step unmeasured at least <paramref name="warmup"/> times and for at least
    /// <paramref name="warmupSeconds"/> (JIT tiering, buffers, the tensor pool), then <paramref name="rounds"/> rounds of
    /// one timed run of each; returns each step's medians.</summary>
    public static Timing[] Medians(IReadOnlyList<Action> steps, int warmup, double warmupSeconds, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        foreach (var step in steps)
        {
            var clock = Stopwatch.StartNew();
            for (int w = 0; w < warmup || clock.Elapsed.TotalSeconds < warmupSeconds; w++) step();
        }
        var wall = steps.Select(_ => new List<double>()).ToArray();
        var cpu = steps.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < steps.Count; i++)
            {
                double cpuBefore = ProcessCpuClock.Seconds();
                var clock = Stopwatch.StartNew();
                steps[i]();
                wall[i].Add(clock.Elapsed.TotalSeconds);
                cpu[i].Add(ProcessCpuClock.Seconds() - cpuBefore);
            }
        return [.. Enumerable.Range(0, steps.Count).Select(i => new Timing(Median(wall[i]), Median(cpu[i])))];
    }

    /// <summary>The median (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
