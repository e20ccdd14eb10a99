namespace Nabla.IO;

/// <summary>Where a training run stands when a checkpoint is written.</summary>
/// <param name="Epoch">Epochs completed; training continues in epoch <c>Epoch + 1</c> (counting from 1).</param>
/// <param name="Batch">Batches of that next epoch already trained on: 0 at an epoch end, k after its k-th step.</param>
/// <param name="Step">Optimizer steps taken since the run began.</param>
public sealed record TrainingPosition(int Epoch, int Batch, long Step)
{
    /// <summary>Whether the checkpoint was written at the end of an epoch.</summary>
    public bool AtEpochEnd => Batch == 0;
}
