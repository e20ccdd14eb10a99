using Nabla.Cli.Arguments;
using Nabla.Cli.Training;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>Turns the shared training options of a parsed command line into <see cref="TrainSettings"/>.</summary>
internal static class TrainOptionReader
{
    /// <summary>Reads --epochs, --batch-size, --lr, --schedule, --optimizer, --momentum, --weight-decay, --augment, --seed,
    /// --threads, --out, --data, --checkpoint-every and --stop-after-steps; absent options take the kind's
    /// <paramref name="defaults"/>, and the run folder defaults to runs/<paramref name="runPrefix"/>-TIMESTAMP.</summary>
    /// <exception cref="UsageException">A value is malformed, or --momentum is given to an optimizer without momentum.</exception>
    public static TrainSettings Read(ParsedOptions options, string runPrefix, TrainDefaults defaults)
    {
        var optimizer = Optimizers.Parse(options.Choice("--optimizer", Optimizers.Name(defaults.Optimizer), Optimizers.Names));
        if (options.Has("--momentum") && !Optimizers.HasMomentum(optimizer))
            throw new UsageException(options.Command, $"option --momentum applies to sgd and rmsprop, not {Optimizers.Name(optimizer)}; Adam's momentum is its beta1 (0.9)");
        return new TrainSettings(
            Epochs: options.Int("--epochs", defaults.Epochs),
            BatchSize: options.Int("--batch-size", defaults.BatchSize),
            LearningRate: options.PositiveDouble("--lr", defaults.LearningRate),
            Schedule: LearningRates.Parse(options.Choice("--schedule", LearningRates.Name(defaults.Schedule), LearningRates.Names)),
            Seed: options.Long("--seed", 0),
            Threads: ReadThreads(options),
            DataDirectory: ReadDataDirectory(options, out bool fetch),
            FetchIfMissing: fetch,
            RunDirectory: options.String("--out", RunFolder.DefaultPath(runPrefix)),
            CheckpointEvery: ReadCheckpointEvery(options, CommandCatalog.DefaultCheckpointEvery),
            Optimizer: optimizer,
            Momentum: options.NonNegativeDouble("--momentum", Optimizers.DefaultMomentum(optimizer)),
            WeightDecay: options.NonNegativeDouble("--weight-decay", Optimizers.DefaultWeightDecay(optimizer)),
            Augment: options.Flag("--augment") || (defaults.Augment && !options.Has("--augment")),
            StopAfterSteps: ReadStopAfterSteps(options));
    }

    /// <summary>For <c>--resume RUN_DIR</c>: the settings in RUN_DIR/config.json, with --threads, --data and
    /// --checkpoint-every taken from the command line when given; every other option is refused.</summary>
    /// <param name="options">The parsed command line, holding --resume.</param>
    /// <param name="config">The run's configuration.</param>
    /// <exception cref="UsageException">An option the run fixes is given, or RUN_DIR is not a run folder.</exception>
    /// <exception cref="InvalidDataException">config.json is not a run configuration.</exception>
    public static TrainSettings ReadResume(ParsedOptions options, out RunConfig config)
    {
        foreach (var option in options.Command.Options)
            if (!CommandCatalog.ResumeOptions.Contains(option.Name) && options.Has(option.Name))
                throw new UsageException(options.Command, $"option {option.Name} cannot be combined with --resume: the run's config.json fixes it");
        string directory = options.RequiredString("--resume");
        string configPath = Path.Combine(directory, "config.json");
        if (!File.Exists(configPath))
            throw options.Bad("--resume", directory, "a run folder written by nabla train, holding config.json and checkpoint.safetensors");
        config = RunConfig.Load(configPath);

        string data = config.Data;
        bool fetch = Path.GetFullPath(data) == Path.GetFullPath(Mnist.DefaultDirectory);
        if (options.Has("--data")) data = ReadDataDirectory(options, out fetch);
        return new TrainSettings(config.Epochs, config.BatchSize, config.LearningRate, LearningRates.Parse(config.Schedule), config.Seed,
            Threads: options.Has("--threads") ? ReadThreads(options) : config.Threads,
            DataDirectory: data,
            FetchIfMissing: fetch,
            RunDirectory: directory,
            CheckpointEvery: ReadCheckpointEvery(options, config.CheckpointEvery),
            Optimizer: Optimizers.Parse(config.Optimizer),
            Momentum: config.Momentum,
            WeightDecay: config.WeightDecay,
            Augment: config.Augment,
            StopAfterSteps: ReadStopAfterSteps(options));
    }

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

    private static int ReadCheckpointEvery(ParsedOptions options, int fallback) => options.Int("--checkpoint-every", fallback, min: 0);

    private static long? ReadStopAfterSteps(ParsedOptions options) => options.Has("--stop-after-steps") ? options.Int("--stop-after-steps", 0) : null;
}
