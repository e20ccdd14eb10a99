using Nabla.Cli.Progress;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>Where a command writes: results and progress to <see cref="Out"/>, errors to <see cref="Error"/>.
/// Live progress bars only when <see cref="Interactive"/> (a terminal), plain lines otherwise (tests, CI logs, pipes).</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, bool interactive)
{
    /// <summary>Standard output.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Whether <see cref="Out"/> is a terminal that can redraw a progress display.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>The view a training run reports to.</summary>
    public ITrainingView TrainingView() => Interactive
        ? new LiveTrainingView(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out) }))
        : new PlainTrainingView(Out);
}
