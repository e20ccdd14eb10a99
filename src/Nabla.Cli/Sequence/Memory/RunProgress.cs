using Spectre.Console;

namespace Nabla.Cli.Sequence.Memory;

/// <summary>Runs a series of training runs under the view that suits the console, as <c>nabla train</c>'s other kinds do:
/// Spectre.Console bars that keep each finished run's summary on a terminal, plain lines otherwise.</summary>
internal static class RunProgress
{
    /// <summary>Runs <paramref name="body"/>, showing its progress on <paramref name="console"/>.</summary>
    public static void Run(CliConsole console, Action<IRunProgress> body)
    {
        if (!console.Interactive)
        {
            body(new Plain(console.Out));
            return;
        }
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) });
        ansi.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => body(new Live(context)));
    }

    private sealed class Plain(TextWriter output) : IRunProgress
    {
        public void Begin(string label, int steps) { }

        public void Step(int step, Func<string> status) { }

        public void End(string summary) => output.WriteLine(summary);
    }

    private sealed class Live(ProgressContext context) : IRunProgress
    {
        private ProgressTask? task;

        public void Begin(string label, int steps) => task = context.AddTask(Markup.Escape(label), maxValue: steps);

        public void Step(int step, Func<string> status)
        {
            if (task is null) return;
            task.Value = step;
            // The display refreshes ten times a second; formatting every step would be wasted work.
            if (step % 10 == 0) task.Description = Markup.Escape(status());
        }

        public void End(string summary)
        {
            if (task is null) return;
            task.Description = Markup.Escape(summary);
            task.Value = task.MaxValue;   // a run that stopped early, solved, still reads as finished
            task.StopTask();
        }
    }
}
