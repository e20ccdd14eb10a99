using Nabla.Cli.Arguments;
using Nabla.Cli.Training;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>Turns the shared training options of a parsed command line into <see cref="TrainSettings"/>.</summary>
internal static class TrainOptionReader
{
    /// <summary>Reads --epochs, --batch-size, --lr, --schedule, --seed, --threads, --out and --data; absent options
    /// take the catalog's defaults, and the run folder defaults to runs/<paramref name="runPrefix"/>-TIMESTAMP.</summary>
    public static TrainSettings Read(ParsedOptions options, string runPrefix) => new(
        Epochs: options.Int("--epochs", CommandCatalog.DefaultEpochs),
        BatchSize: options.Int("--batch-size", CommandCatalog.DefaultBatchSize),
        LearningRate: options.PositiveDouble("--lr", CommandCatalog.DefaultLearningRate),
        Schedule: LearningRates.Parse(options.Choice("--schedule", "cosine", "cosine", "constant")),
        Seed: options.Long("--seed", 0),
        Threads: ReadThreads(options),
        DataDirectory: ReadDataDirectory(options, out bool fetch),
        FetchIfMissing: fetch,
        RunDirectory: options.String("--out", RunFolder.DefaultPath(runPrefix)));

    /// <summary>--threads, 1 to 1024, default every core.</summary>
    public static int ReadThreads(ParsedOptions options) => options.Int("--threads", Environment.ProcessorCount, 1, 1024);

    /// <summary>--data: an existing folder; the default folder may be missing (it is then fetched).</summary>
    public static string ReadDataDirectory(ParsedOptions options, out bool fetchIfMissing)
    {
        string directory = options.String("--data", Mnist.DefaultDirectory);
        fetchIfMissing = Path.GetFullPath(directory) == Path.GetFullPath(Mnist.DefaultDirectory);
        if (!fetchIfMissing && !Directory.Exists(directory))
            throw options.Bad("--data", directory, "an existing folder holding the four MNIST-format IDX files");
        return directory;
    }
}
