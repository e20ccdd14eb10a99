using System.Globalization;
using Spectre.Console;

namespace Nabla.Cli.Sequence;

/// <summary>Shows a step-based run: on a terminal a live progress bar with the loss and speed, elsewhere a plain line
/// every twentieth of the run; evaluation lines are printed as they come in both.</summary>
internal static class StepView
{
    /// <summary>Runs <paramref name="body"/>, showing what it reports.</summary>
    public static void Run(CliConsole console, string title, int totalSteps, Action<IStepProgress> body)
    {
        if (!console.Interactive)
        {
            body(new Plain(console.Out, title, totalSteps));
            return;
        }
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) });
        ansi.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => body(new Live(ansi, context.AddTask(Markup.Escape(title), maxValue: totalSteps), title, totalSteps)));
    }

    private static string Describe(string title, int step, int total, double loss, double stepsPerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"{title}  step {step}/{total}  loss {loss:F4}  {stepsPerSecond:F1} steps/s");

    private sealed class Live(IAnsiConsole console, ProgressTask task, string title, int total) : IStepProgress
    {
        private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();

        public void Step(int step, double loss)
        {
            task.Value = step;
            task.Description = Markup.Escape(Describe(title, step, total, loss, step / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
        }

        public void Line(string text) => console.MarkupLine(Markup.Escape(text));
    }

    private sealed class Plain(TextWriter output, string title, int total) : IStepProgress
    {
        private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly int every = Math.Max(1, total / 20);

        public void Step(int step, double loss)
        {
            if (step % every == 0 || step == total)
                output.WriteLine(Describe(title, step, total, loss, step / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
        }

        public void Line(string text) => output.WriteLine(text);
    }
}
