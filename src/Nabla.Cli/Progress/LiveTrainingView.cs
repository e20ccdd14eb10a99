using Nabla.Cli.Training;
using Spectre.Console;

namespace Nabla.Cli.Progress;

/// <summary>For a terminal: a Spectre.Console progress bar per epoch showing loss and throughput as it trains;
/// a finished epoch's bar keeps its summary.</summary>
internal sealed class LiveTrainingView(IAnsiConsole console) : ITrainingView
{
    /// <inheritdoc/>
    public void Run(int epochs, int stepsPerEpoch, Action<ITrainingProgress> body) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn())
            .Start(context => body(new Tasks(context, epochs, stepsPerEpoch)));

    private sealed class Tasks(ProgressContext context, int epochs, int stepsPerEpoch) : ITrainingProgress
    {
        private ProgressTask? task;
        private int epoch;

        public void BeginEpoch(int epoch)
        {
            this.epoch = epoch;
            task = context.AddTask(Markup.Escape($"epoch {epoch}/{epochs}"), maxValue: stepsPerEpoch);
        }

        public void Step(int stepInEpoch, double loss, double samplesPerSecond)
        {
            if (task is null) return;
            task.Value = stepInEpoch;
            // The display refreshes ten times a second; formatting every step would be wasted work.
            if (stepInEpoch % 10 == 0 || stepInEpoch == stepsPerEpoch)
                task.Description = Markup.Escape(EpochSummary.Running(epoch, epochs, loss, samplesPerSecond));
        }

        public void Evaluating()
        {
            if (task is not null) task.Description += Markup.Escape("  evaluating…");
        }

        public void EndEpoch(EpochResult result)
        {
            if (task is null) return;
            task.Description = Markup.Escape(EpochSummary.Compact(result, epochs));
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
