namespace Nabla.Benchmarks.Timing;

/// <summary>How long to warm up and how many steps to time.</summary>
/// <param name="WarmupSeconds">Each library runs at least this long before timing, so tiered JIT has promoted
/// the hot methods to optimized code (Tier-0 SIMD runs several times slower for the first 100–200 ms).</param>
/// <param name="WarmupSteps">And at least this many steps.</param>
/// <param name="Steps">Timed samples per library when set (<c>--steps</c>); otherwise the workload's default, cut
/// to <paramref name="BudgetSeconds"/>.</param>
/// <param name="BudgetSeconds">Time for the timed samples of both libraries together, when steps are not given.</param>
/// <param name="MinSampleMs">A sample repeats a short step until it lasts about this long, so the clock's
/// resolution and the A/B switch do not dominate it.</param>
/// <param name="MemorySteps">Steps of each library's solo memory run (resident memory sampled over them).</param>
internal sealed record TimingSettings(
    double WarmupSeconds,
    int WarmupSteps,
    int? Steps,
    double BudgetSeconds,
    double MinSampleMs,
    int MemorySteps)
{
    /// <summary>Fewest timed samples, whatever the budget.</summary>
    public const int MinSamples = 5;
}
