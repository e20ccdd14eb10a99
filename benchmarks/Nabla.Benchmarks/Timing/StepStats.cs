namespace Nabla.Benchmarks.Timing;

/// <summary>The timed steps of one library in one measurement.</summary>
/// <remarks>
/// Times are per step, in milliseconds, from samples of <see cref="StepsPerSample"/> consecutive steps each
/// (a sample's time divided by its steps), so min and max are those of sample means. The managed-memory figures
/// cover only this library's timed samples: bytes allocated on every thread, and the collections that started
/// while its steps ran (the other library's garbage can trigger them too; TorchSharp allocates managed wrappers).
/// </remarks>
internal sealed record StepStats(
    double MedianMs,
    double MinMs,
    double MaxMs,
    int Samples,
    int StepsPerSample,
    double AllocatedBytesPerStep,
    int Gen0,
    int Gen1,
    int Gen2,
    double GcPauseMs)
{
    /// <summary>Timed steps in all: samples × steps per sample.</summary>
    public int Steps => Samples * StepsPerSample;
}
