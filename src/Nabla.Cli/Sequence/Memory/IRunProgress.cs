namespace Nabla.Cli.Sequence.Memory;

/// <summary>Receives the progress of a series of training runs: a live bar per run on a terminal, one line per finished
/// run elsewhere (tests, logs, pipes).</summary>
internal interface IRunProgress
{
    /// <summary>A run called <paramref name="label"/> of at most <paramref name="steps"/> steps begins.</summary>
    void Begin(string label, int steps);

    /// <summary>Step <paramref name="step"/> (1-based) of the run is done; <paramref name="status"/> describes it.</summary>
    void Step(int step, Func<string> status);

    /// <summary>The run is done; <paramref name="summary"/> is its one-line result.</summary>
    void End(string summary);
}
