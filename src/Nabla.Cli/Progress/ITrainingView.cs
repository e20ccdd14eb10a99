namespace Nabla.Cli.Progress;

/// <summary>Shows a training run while <see cref="Run"/>'s body trains.</summary>
internal interface ITrainingView
{
    /// <summary>Runs <paramref name="body"/>, showing the progress it reports.</summary>
    void Run(int epochs, int stepsPerEpoch, Action<ITrainingProgress> body);
}
