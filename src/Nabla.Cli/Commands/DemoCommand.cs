using Nabla.Cli.Arguments;
using Nabla.Cli.Training;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla demo</c>: <c>nabla train mlp</c> with its defaults, into runs/demo-TIMESTAMP.</summary>
internal static class DemoCommand
{
    /// <summary>Parses the demo's few options and trains.</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(CommandCatalog.Demo, args);
        if (options.HelpRequested) { console.Out.Write(CommandCatalog.Demo.Usage()); return ExitCodes.Ok; }
        var settings = new TrainSettings(
            CommandCatalog.DefaultEpochs, CommandCatalog.DefaultBatchSize, CommandCatalog.DefaultLearningRate, LearningRateSchedule.Cosine,
            Seed: 0,
            Threads: TrainOptionReader.ReadThreads(options),
            DataDirectory: TrainOptionReader.ReadDataDirectory(options, out bool fetch),
            FetchIfMissing: fetch,
            RunDirectory: options.String("--out", RunFolder.DefaultPath("demo")),
            CheckpointEvery: CommandCatalog.DefaultCheckpointEvery);
        ClassifierRun.Execute(console, "demo", settings, (sample, classes) => TrainCommand.MlpRecipe(sample, CommandCatalog.DefaultHidden, classes));
        return ExitCodes.Ok;
    }
}
