using Nabla.Cli.Training;

namespace Nabla.Cli.Progress;

/// <summary>Receives a training run's progress: a live bar on a terminal, plain lines elsewhere.</summary>
internal interface ITrainingProgress
{
    /// <summary>Epoch <paramref name="epoch"/> (1-based) begins.</summary>
    void BeginEpoch(int epoch);

    /// <summary>Step <paramref name="stepInEpoch"/> (1-based) of the current epoch is done.</summary>
    void Step(int stepInEpoch, double loss, double samplesPerSecond);

    /// <summary>The epoch's steps are done and the test split is being evaluated.</summary>
    void Evaluating();

    /// <summary>The epoch is done and evaluated.</summary>
    void EndEpoch(EpochResult result);
}
