namespace Nabla.Cli.Training;

/// <summary>What every <c>nabla train</c> run takes (DESIGN's shared CLI conventions), resolved to values.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Samples per optimizer step.</param>
/// <param name="LearningRate">Adam's base learning rate η₀.</param>
/// <param name="Schedule">How η moves over the run.</param>
/// <param name="Seed">Seeds the default generator before the model is built (initialization, dropout) and fixes each
/// epoch's shuffled order as a function of (seed, epoch).</param>
/// <param name="Threads">Kernel threads.</param>
/// <param name="DataDirectory">Folder with the four MNIST-format IDX files.</param>
/// <param name="FetchIfMissing">Whether to run the fetch script when the files are missing (only for the default folder).</param>
/// <param name="RunDirectory">Where metrics, checkpoints, configuration and plot go.</param>
/// <param name="CheckpointEvery">Steps between saves of checkpoint.safetensors (also saved at each epoch end); 0: epoch ends only.</param>
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
    long? StopAfterSteps = null);
