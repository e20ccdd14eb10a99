using Spectre.Console;

namespace Nabla.Cli.Generative;

/// <summary>Receives the progress of a generative training run: a live bar per epoch on a terminal, one line per
/// finished epoch elsewhere (tests, logs, pipes).</summary>
internal interface IEpochProgress
{
    /// <summary>Epoch <paramref name="epoch"/> (1-based) begins.</summary>
    void BeginEpoch(int epoch);

    /// <summary>Step <paramref name="stepInEpoch"/> (1-based) of the epoch is done; <paramref name="status"/> describes it.</summary>
    void Step(int stepInEpoch, Func<string> status);

    /// <summary>The epoch is done; <paramref name="summary"/> is its one-line result.</summary>
    void EndEpoch(string summary);
}

/// <summary>Runs a training body under the view that suits the console.</summary>
internal static class EpochProgress
{
    /// <summary>Runs <paramref name="body"/>, showing its progress on <paramref name="console"/>.</summary>
    public static void Run(CliConsole console, int epochs, int stepsPerEpoch, Action<IEpochProgress> body)
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
            .Start(context => body(new Live(context, epochs, stepsPerEpoch)));
    }

    private sealed class Plain(TextWriter output) : IEpochProgress
    {
        public void BeginEpoch(int epoch) { }

        public void Step(int stepInEpoch, Func<string> status) { }

        public void EndEpoch(string summary) => output.WriteLine(summary);
    }

    private sealed class Live(ProgressContext context, int epochs, int stepsPerEpoch) : IEpochProgress
    {
        private ProgressTask? task;

        public void BeginEpoch(int epoch) =>
            task = context.AddTask(Markup.Escape($"epoch {epoch}/{epochs}"), maxValue: stepsPerEpoch);

        public void Step(int stepInEpoch, Func<string> status)
        {
            if (task is null) return;
            task.Value = stepInEpoch;
            // The display refreshes ten times a second; formatting every step would be wasted work.
            if (stepInEpoch % 10 == 0 || stepInEpoch == stepsPerEpoch) task.Description = Markup.Escape(status());
        }

        public void EndEpoch(string summary)
        {
            if (task is null) return;
            task.Description = Markup.Escape(summary);
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
