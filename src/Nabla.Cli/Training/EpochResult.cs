namespace Nabla.Cli.Training;

/// <summary>What one epoch produced, measured on the full test split after its last step.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Step">Optimizer steps taken so far in the run.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="TrainAccuracy">Fraction of the epoch's training samples the model classified correctly as it trained
/// (in training mode, on the batch before each step), in [0, 1].</param>
/// <param name="TestLoss">Mean cross-entropy over the test split.</param>
/// <param name="TestAccuracy">Fraction of test samples classified correctly, in [0, 1].</param>
/// <param name="LearningRate">The learning rate of the epoch's last step.</param>
/// <param name="SamplesPerSecond">Training throughput over the epoch (optimizer steps only, not evaluation).</param>
/// <param name="Seconds">Seconds since the run started training.</param>
internal sealed record EpochResult(int Epoch, long Step, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    double LearningRate, double SamplesPerSecond, double Seconds);
