using Nabla.Cli.Training;

namespace Nabla.Cli.Progress;

/// <summary>For logs and pipes: one line per finished epoch, no cursor movement.</summary>
internal sealed class PlainTrainingView(TextWriter output) : ITrainingView, ITrainingProgress
{
    private int epochs;

    /// <inheritdoc/>
    public void Run(int epochs, int stepsPerEpoch, Action<ITrainingProgress> body)
    {
        this.epochs = epochs;
        body(this);
    }

    /// <inheritdoc/>
    public void BeginEpoch(int epoch) { }

    /// <inheritdoc/>
    public void Step(int stepInEpoch, double loss, double samplesPerSecond) { }

    /// <inheritdoc/>
    public void Evaluating() { }

    /// <inheritdoc/>
    public void EndEpoch(EpochResult result) => output.WriteLine(EpochSummary.Done(result, epochs));
}
