namespace Nabla.Benchmarks.Timing;

/// <summary>How long to warm up and how many steps to time.</summary>
/// <param name="WarmupSeconds">Each library runs at least this long before timing, so tiered JIT has promoted
/// the hot methods to optimized code (Tier-0 SIMD runs several times slower for the first 100–200 ms).</param>
/// <param name="WarmupSteps">And at least this many steps.</param>
/// <param name="Steps">Timed steps per library when set (<c>--steps</c>), rounded up to whole samples; otherwise the
/// workload's default, cut to <paramref name="BudgetSeconds"/>.</param>
/// <param name="BudgetSeconds">Time for the timed samples of both libraries together, when steps are not given.</param>
/// <param name="MinSampleMs">A sample repeats a short step until it lasts about this long, so the clock's
/// resolution and the A/B switch do not dominate it.</param>
/// <param name="MemorySteps">Steps of each library's solo memory run (resident memory sampled over them).</param>
/// <param name="MemorySeconds">A solo memory run stops early, at a sampling point, once it has run this long.</param>
/// <param name="SettleMs">An untimed pause after each sample, so that the helper threads of the library that just
/// ran have gone to sleep before the other library's sample starts (see <see cref="ForThreads"/>).</param>
internal sealed record TimingSettings(
    double WarmupSeconds,
    int WarmupSteps,
    int? Steps,
    double BudgetSeconds,
    double MinSampleMs,
    int MemorySteps,
    double MemorySeconds,
    double SettleMs = 0)
{
    /// <summary>Fewest timed samples, whatever the budget.</summary>
    public const int MinSamples = 10;

    /// <summary>libtorch's OpenMP workers (libgomp, default GOMP_SPINCOUNT) keep spinning for ~9 ms of CPU after
    /// a parallel region, measured here; a pause this long lets them sleep before Nabla's sample.</summary>
    public const double ParallelSettleMs = 15;

    /// <summary>With several threads a sample runs consecutive steps for at least this long, as a training loop
    /// does, so that waking the helper threads after the pause is amortized over the sample.</summary>
    public const double ParallelMinSampleMs = 20;

    /// <summary>The settings for one thread count. With one thread neither library has helper threads, so
    /// samples alternate back to back. With more, a library's idle helpers would spin on the cores the other
    /// library's next sample needs (an artifact of sharing one process, never seen by a user of either), so
    /// each sample is followed by <see cref="ParallelSettleMs"/> and lasts at least <see cref="ParallelMinSampleMs"/>.</summary>
    public TimingSettings ForThreads(int threads, bool withTorch) =>
        threads > 1 && withTorch
            ? this with { SettleMs = ParallelSettleMs, MinSampleMs = Math.Max(MinSampleMs, ParallelMinSampleMs) }
            : this;

    /// <summary>Sleeps <see cref="SettleMs"/>, if any.</summary>
    public void Settle()
    {
        if (SettleMs > 0) Thread.Sleep(TimeSpan.FromMilliseconds(SettleMs));
    }
}
