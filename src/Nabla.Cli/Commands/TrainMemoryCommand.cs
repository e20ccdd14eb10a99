using Nabla.Cli.Arguments;
using Nabla.Cli.Sequence.Memory;
using Nabla.Cli.Training;
using Nabla.Models.Tasks;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla train memory</c>: reads the options and runs <see cref="MemoryRun"/>.</summary>
internal static class TrainMemoryCommand
{
    /// <summary>The defaults: long enough for the LSTM and GRU to solve every default length and for the plain RNN to
    /// fail at the longest, in a few minutes on two cores (docs/memory-task.md).</summary>
    public const int DefaultHidden = 32, DefaultSteps = 3000, DefaultBatchSize = 32, DefaultEvalEvery = 50, DefaultTestSize = 1000;

    /// <summary>Adam's learning rate and the gradient-norm limit by default.</summary>
    public const double DefaultLearningRate = 1e-3, DefaultClip = 1;

    /// <summary>The sequence lengths compared by default.</summary>
    public static readonly int[] DefaultLengths = [10, 25, 50, 100, 200];

    /// <summary><c>nabla train memory</c>.</summary>
    public static readonly CommandSpec Spec = new("train memory",
        "Compares RNN, LSTM and GRU sequence classifiers on a long-range memory task at several sequence lengths: trains each on fresh sequences until it solves a fixed held-out test set or runs out of steps, then writes a model × length table of test accuracy and a plot.",
        [
            new("--task", "NAME", "recall (name the first of K symbols after T − 1 distractor steps; chance 1/K) or adding (sum the two marked values of T, Hochreiter and Schmidhuber's adding problem; regression)", "recall"),
            new("--lengths", "N,N,...", "sequence lengths T", string.Join(',', DefaultLengths)),
            new("--models", "NAMES", "recurrent cells compared, comma-separated: rnn (Elman, tanh), lstm, gru", "rnn,lstm,gru"),
            new("--hidden", "N", "hidden units of each recurrent layer", $"{DefaultHidden}"),
            new("--steps", "N", "the most optimizer steps per model and length; a run stops once it solves the task", $"{DefaultSteps}"),
            new("--batch-size", "N", "fresh sequences per step", $"{DefaultBatchSize}"),
            new("--lr", "X", "Adam's learning rate", "1e-3"),
            new("--clip", "X", "rescales the gradient to global L2 norm at most X before each step (clip_grad_norm_); 0 turns clipping off", "1"),
            new("--init", "NAME", "chrono (LSTM forget and input gate biases ±log U(1, T − 1), GRU update gate bias log U(1, T − 1): Tallec and Ollivier, 2018) or pytorch (PyTorch's U(−1/√H, 1/√H) everywhere); the RNN always gets PyTorch's", "chrono"),
            new("--symbols", "K", "recall only: the symbols to recall, the classes", $"{RecallTask.DefaultSymbols}"),
            new("--eval-every", "N", "steps between evaluations on the test set and rows of metrics.csv", $"{DefaultEvalEvery}"),
            new("--test-size", "N", "held-out sequences per length (fixed, whatever the seed)", $"{DefaultTestSize}"),
            new("--seed", "N", "seeds initialization and the training sequences", "0"),
            new("--threads", "N", "kernel threads", "all cores"),
            new("--out", "DIR", "run folder for config.json, metrics.csv, results.csv, results.md, accuracy.png and MODEL-TLENGTH/model.safetensors", "runs/memory-YYYYMMDD-HHMMSS"),
        ]);

    /// <summary>Runs with <paramref name="args"/> after "train memory".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(Spec, args);
        if (options.HelpRequested) { console.Out.Write(Spec.Usage()); return ExitCodes.Ok; }
        MemoryRun.Execute(console, Read(options));
        return ExitCodes.Ok;
    }

    /// <summary>The settings of a parsed command line.</summary>
    /// <exception cref="UsageException">A value is malformed or out of range.</exception>
    public static MemorySettings Read(ParsedOptions options)
    {
        string task = options.Choice("--task", "recall", MemorySettings.Tasks);
        if (task != "recall" && options.Has("--symbols"))
            throw new UsageException(options.Command, $"option --symbols applies to --task recall, not {task}");
        int[] lengths = options.IntList("--lengths", DefaultLengths);
        if (lengths.Min() < MemoryTask.MinLength || lengths.Distinct().Count() != lengths.Length)
            throw options.Bad("--lengths", options.String("--lengths", ""), $"distinct sequence lengths of at least {MemoryTask.MinLength}, such as 10,25,50,100");
        string[] models = ReadModels(options);
        double clip = options.NonNegativeDouble("--clip", DefaultClip);
        return new MemorySettings(task, lengths, models,
            Hidden: options.Int("--hidden", DefaultHidden),
            Steps: options.Int("--steps", DefaultSteps),
            BatchSize: options.Int("--batch-size", DefaultBatchSize),
            LearningRate: options.PositiveDouble("--lr", DefaultLearningRate),
            Clip: clip,
            Init: options.Choice("--init", "chrono", MemorySettings.Inits),
            Symbols: options.Int("--symbols", RecallTask.DefaultSymbols, min: 2),
            EvalEvery: options.Int("--eval-every", DefaultEvalEvery),
            TestSize: options.Int("--test-size", DefaultTestSize),
            Seed: options.Long("--seed", 0),
            Threads: TrainOptionReader.ReadThreads(options),
            RunDirectory: options.String("--out", RunFolder.DefaultPath("memory")));
    }

    private static string[] ReadModels(ParsedOptions options)
    {
        if (!options.Has("--models")) return MemorySettings.ModelNames;
        string given = options.String("--models", "");
        string[] models = given.Split(',', StringSplitOptions.TrimEntries);
        if (models.Any(m => !MemorySettings.ModelNames.Contains(m, StringComparer.Ordinal)) || models.Distinct().Count() != models.Length)
            throw options.Bad("--models", given, $"distinct names from {string.Join(", ", MemorySettings.ModelNames)}, comma-separated, such as rnn,lstm");
        return models;
    }
}
