using Nabla.Cli.Sequence.Memory;

namespace Nabla.Cli.Lab.Experiments.RnnVsLstm;

/// <summary>Progress of the memory-task runs as lab lines: one per finished run.</summary>
internal sealed class LabRunProgress(LabContext context) : IRunProgress
{
    /// <inheritdoc/>
    public void Begin(string label, int steps) { }

    /// <inheritdoc/>
    public void Step(int step, Func<string> status) { }

    /// <inheritdoc/>
    public void End(string summary) => context.Say(summary);
}
