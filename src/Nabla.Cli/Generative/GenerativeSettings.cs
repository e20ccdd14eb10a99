namespace Nabla.Cli.Generative;

/// <summary>The options every generative training run takes, resolved to values.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="LearningRate">Adam's learning rate (constant).</param>
/// <param name="Seed">Seeds initialization and the noise (the default generator) and each epoch's shuffled order.</param>
/// <param name="Threads">Kernel threads.</param>
/// <param name="DataDirectory">Folder with the four MNIST-format IDX files.</param>
/// <param name="FetchIfMissing">Whether to run the fetch script when they are missing (the default folder only).</param>
/// <param name="RunDirectory">Where metrics, checkpoints, configuration and images go.</param>
/// <param name="StopAfterSteps">For tests: stop after this step, as a kill would; null runs to the end.</param>
internal sealed record GenerativeSettings(int Epochs, int BatchSize, double LearningRate, long Seed, int Threads, string DataDirectory,
    bool FetchIfMissing, string RunDirectory, long? StopAfterSteps = null);
