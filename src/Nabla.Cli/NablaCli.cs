using Nabla.Cli.Arguments;
using Nabla.Cli.Commands;

namespace Nabla.Cli;

/// <summary>The <c>nabla</c> command line, callable in-process: parses, dispatches, and turns failures into one
/// line on standard error and an exit code (0 ok, 1 failure, 2 bad command line).</summary>
internal static class NablaCli
{
    private static readonly string[] Commands = ["demo", "train", "eval", "predict", "sample", "evaluate-generator", "mel", "mfcc", "lab", "help"];

    /// <summary>Runs one command line, writing to <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    /// <param name="args">The arguments after "nabla".</param>
    /// <param name="stdout">Results and progress.</param>
    /// <param name="stderr">Errors.</param>
    /// <param name="interactive">Whether stdout is a terminal that can show live progress bars.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        var console = new CliConsole(stdout, stderr, interactive);
        string command = args.Length > 0 && Commands.Contains(args[0]) ? args[0] : "";
        if (command == "train" && args.Length > 1 && CommandCatalog.TrainKinds.Contains(args[1])) command = $"train {args[1]}";
        if (command == "sample" && args.Length > 1 && GenerativeCatalog.SampleKinds.Contains(args[1])) command = $"sample {args[1]}";
        if (command == "lab" && args.Length > 1 && LabCatalog.Verbs.Contains(args[1])) command = $"lab {args[1]}";
        try
        {
            return Dispatch(console, args);
        }
        catch (UsageException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.Usage;
        }
#pragma warning disable CA1031 // The tool's contract: any failure becomes one line and exit code 1, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"nabla{(command.Length > 0 ? " " + command : "")}: error: {OneLine(e)}");
            return ExitCodes.Failure;
        }
    }

    private static int Dispatch(CliConsole console, string[] args)
    {
        if (args.Length == 0)
        {
            console.Error.Write(CommandCatalog.Overview());
            throw new UsageException($"missing command; expected one of {string.Join(", ", Commands)}");
        }
        ReadOnlySpan<string> rest = args.AsSpan(1);
        switch (args[0])
        {
            case "demo": return DemoCommand.Run(console, rest);
            case "train": return TrainCommand.Run(console, rest);
            case "eval": return EvalCommand.Run(console, rest);
            case "predict": return PredictCommand.Run(console, rest);
            case "sample": return SampleCommand.Run(console, rest);
            case "evaluate-generator": return EvaluateGeneratorCommand.Run(console, rest);
            case "mel": return MelCommand.Run(console, rest, mfcc: false);
            case "mfcc": return MelCommand.Run(console, rest, mfcc: true);
            case "lab": return LabCommand.Run(console, rest);
            case "help" or "--help" or "-h": return Help(console, rest);
            case "--version" or "version":
                console.Out.WriteLine($"nabla {Versions.Tool} (Nabla library {Versions.Library}, .NET {Environment.Version})");
                return ExitCodes.Ok;
            default:
                throw new UsageException(args[0].StartsWith('-')
                    ? $"unknown option '{args[0]}'; expected a command ({string.Join(", ", Commands)}) or --help, --version"
                    : $"unknown command '{args[0]}'; expected one of {string.Join(", ", Commands)}");
        }
    }

    private static int Help(CliConsole console, ReadOnlySpan<string> topic)
    {
        if (topic.Length == 0) { console.Out.Write(CommandCatalog.Overview()); return ExitCodes.Ok; }
        string path = string.Join(' ', topic.ToArray());
        var spec = CommandCatalog.Find(path)
            ?? throw new UsageException($"no help for '{path}'; expected one of demo, train, train mlp, train cnn, train vae, train gan, train memory, eval, predict, sample, sample vae, sample gan, evaluate-generator, mel, mfcc, lab list, lab run, lab index");
        console.Out.Write(spec.Usage());
        return ExitCodes.Ok;
    }

    // Messages may carry line breaks (aggregated or wrapped exceptions); the contract is one line.
    private static string OneLine(Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
        string message = inner.Message.ReplaceLineEndings(" ").Trim();
        return message.Length > 0 ? message : inner.GetType().Name;
    }
}
