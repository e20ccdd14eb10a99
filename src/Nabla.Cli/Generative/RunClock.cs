using System.Diagnostics;

namespace Nabla.Cli.Generative;

/// <summary>Seconds of training: those of the sessions before a resume plus this session's.</summary>
internal sealed class RunClock(double before)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Seconds so far.</summary>
    public double Seconds => before + clock.Elapsed.TotalSeconds;
}
