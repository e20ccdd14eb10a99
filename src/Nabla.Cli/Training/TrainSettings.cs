namespace Nabla.Cli.Training;

/// <summary>What every <c>nabla train</c> run takes (DESIGN's shared CLI conventions), resolved to values.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Samples per optimizer step.</param>
/// <param name="LearningRate">The optimizer's base learning rate η₀ (the peak rate of the one-cycle schedule).</param>
/// <param name="Schedule">How η moves over the run.</param>
/// <param name="Seed">Seeds the default generator before the model is built (initialization, dropout) and fixes each
/// epoch's shuffled order (and augmentation) as a function of (seed, epoch).</param>
/// <param name="Threads">Kernel threads.</param>
/// <param name="DataDirectory">Folder with the four MNIST-format IDX files.</param>
/// <param name="FetchIfMissing">Whether to run the fetch script when the files are missing (only for the default folder).</param>
/// <param name="RunDirectory">Where metrics, checkpoints, configuration and plots go.</param>
/// <param name="CheckpointEvery">Steps between saves of checkpoint.safetensors (also saved at each epoch end); 0: epoch ends only.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="Momentum">SGD's or RMSprop's momentum μ; unused by the Adams.</param>
/// <param name="WeightDecay">The optimizer's weight decay λ (decoupled for AdamW, an L2 term in the gradient otherwise).</param>
/// <param name="Augment">Whether each training batch goes through a small random rotation and shift (<see cref="Augmentation"/>).</param>
/// <param name="StopAfterSteps">For tests: stop after this step, as a kill would; null runs to the end.</param>
internal sealed record TrainSettings(
    int Epochs,
    int BatchSize,
    double LearningRate,
    LearningRateSchedule Schedule,
    long Seed,
    int Threads,
    string DataDirectory,
    bool FetchIfMissing,
    string RunDirectory,
    int CheckpointEvery,
    OptimizerKind Optimizer = OptimizerKind.Adam,
    double Momentum = 0,
    double WeightDecay = 0,
    bool Augment = false,
    long? StopAfterSteps = null);
