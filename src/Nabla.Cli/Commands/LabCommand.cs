using Nabla.Cli.Arguments;
using Nabla.Cli.Lab;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla lab list | run NAME|all | index</c>: the experiments behind deep learning's textbook claims.</summary>
internal static class LabCommand
{
    /// <summary>Runs with <paramref name="args"/> after "lab".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        if (args.Length == 0 || !LabCatalog.Verbs.Contains(args[0]))
            throw new UsageException(args.Length == 0
                ? "nabla lab: missing subcommand; expected list, run or index. Run 'nabla help lab run' for usage."
                : $"nabla lab: unknown subcommand '{args[0]}'; expected list, run or index. Run 'nabla help lab run' for usage.");
        var rest = args[1..];
        return args[0] switch
        {
            "list" => List(console, rest),
            "run" => RunExperiments(console, rest),
            _ => Index(console, rest),
        };
    }

    private static int List(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(LabCatalog.List, args);
        if (options.HelpRequested) { console.Out.Write(LabCatalog.List.Usage()); return ExitCodes.Ok; }
        int width = LabRegistry.All.Max(e => e.Name.Length);
        foreach (var experiment in LabRegistry.All)
            console.Out.WriteLine($"{experiment.Name.PadRight(width)}  {experiment.Claim}");
        return ExitCodes.Ok;
    }

    private static int RunExperiments(CliConsole console, ReadOnlySpan<string> args)
    {
        var spec = LabCatalog.Run;
        var options = ArgumentParser.Parse(spec, args);
        if (options.HelpRequested) { console.Out.Write(spec.Usage()); return ExitCodes.Ok; }
        if (options.Operands.Count != 1)
            throw new UsageException($"nabla lab run: expected one experiment name or 'all', got {(options.Operands.Count == 0 ? "none" : string.Join(" ", options.Operands))}; names: {string.Join(", ", LabRegistry.All.Select(e => e.Name))}. {spec.UsageHint}");
        string name = options.Operands[0];
        var experiments = name == "all" ? LabRegistry.All
            : LabRegistry.Find(name) is { } one ? [one]
            : throw new UsageException($"nabla lab run: unknown experiment '{name}'; expected 'all' or one of {string.Join(", ", LabRegistry.All.Select(e => e.Name))}. {spec.UsageHint}");
        if (options.Flag("--quick") && options.Flag("--smoke"))
            throw new UsageException($"nabla lab run: --quick and --smoke both given; expected at most one. {spec.UsageHint}");
        var scale = options.Flag("--smoke") ? LabScale.Smoke : options.Flag("--quick") ? LabScale.Quick : LabScale.Full;
        long seed = options.Long("--seed", 0);
        string outDirectory = options.String("--out", LabCatalog.DefaultOut);
        string data = TrainOptionReader.ReadDataDirectory(options, out bool fetch);
        string runs = options.String("--runs", "runs");
        int threads = TrainOptionReader.ReadThreads(options);

        using var limit = new ThreadLimit(threads);
        Directory.CreateDirectory(outDirectory);
        var failed = new List<string>();
        foreach (var experiment in experiments)
        {
            try
            {
                LabRunner.Run(experiment, scale, seed, outDirectory, data, fetch, runs, console.Out);
            }
#pragma warning disable CA1031 // 'all' goes on past a failed experiment and reports it; a single run rethrows.
            catch (Exception e) when (experiments.Count > 1)
#pragma warning restore CA1031
            {
                console.Error.WriteLine($"nabla lab run: {experiment.Name} failed: {e.Message.ReplaceLineEndings(" ")}");
                failed.Add(experiment.Name);
            }
        }
        var results = LabIndex.Write(outDirectory);
        console.Out.WriteLine($"lab index: {Path.Combine(outDirectory, LabIndex.HtmlFile)} ({results.Count} reports)");
        if (failed.Count > 0)
        {
            console.Error.WriteLine($"nabla lab run: {failed.Count} of {experiments.Count} experiments failed: {string.Join(", ", failed)}");
            return ExitCodes.Failure;
        }
        return ExitCodes.Ok;
    }

    private static int Index(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(LabCatalog.Index, args);
        if (options.HelpRequested) { console.Out.Write(LabCatalog.Index.Usage()); return ExitCodes.Ok; }
        string outDirectory = options.String("--out", LabCatalog.DefaultOut);
        var results = LabIndex.Write(outDirectory);
        console.Out.WriteLine($"lab index: {Path.Combine(outDirectory, LabIndex.HtmlFile)} ({results.Count} reports)");
        return ExitCodes.Ok;
    }
}
