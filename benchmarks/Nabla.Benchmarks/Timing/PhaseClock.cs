using System.Diagnostics;

namespace Nabla.Benchmarks.Timing;

/// <summary>Splits a step into named phases (forward, loss, backward, …) and keeps each phase's times.</summary>
/// <remarks>Call <see cref="Start"/> before the step and <see cref="Lap"/> after each phase.</remarks>
internal sealed class PhaseClock
{
    private readonly Dictionary<string, List<double>> _laps = [];
    private readonly List<string> _order = [];
    private long _last;

    /// <summary>Marks the start of a step.</summary>
    public void Start() => _last = Stopwatch.GetTimestamp();

    /// <summary>Ends the phase <paramref name="phase"/>: the time since the previous mark counts for it.</summary>
    public void Lap(string phase)
    {
        long now = Stopwatch.GetTimestamp();
        if (!_laps.TryGetValue(phase, out var laps))
        {
            _laps[phase] = laps = [];
            _order.Add(phase);
        }

        laps.Add(Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds);
        _last = now;
    }

    /// <summary>Each phase's median time in milliseconds, in the order the phases first ran.</summary>
    public Dictionary<string, double> Medians() =>
        _order.ToDictionary(p => p, p => StepSampler.Median([.. _laps[p].Order()]));
}
