using System.Globalization;
using Nabla.Cli.Training;

namespace Nabla.Cli.Commands;

/// <summary>The defaults of the shared training options that differ between model kinds.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Samples per optimizer step.</param>
/// <param name="LearningRate">The optimizer's base rate.</param>
/// <param name="Schedule">The learning-rate schedule.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="Augment">Whether training batches are augmented.</param>
internal sealed record TrainDefaults(int Epochs, int BatchSize, double LearningRate, LearningRateSchedule Schedule, OptimizerKind Optimizer, bool Augment)
{
    /// <summary>The learning rate as help shows it: "1e-3".</summary>
    public string LearningRateText => LearningRate.ToString("0.###e0", CultureInfo.InvariantCulture);
}
