using System.Globalization;
using Nabla.Benchmarks.Timing;

namespace Nabla.Benchmarks;

/// <summary>The command line of the runner.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>The usage text printed by <c>--help</c> and after a bad argument.</summary>
    public const string Usage = """
        Times Nabla and TorchSharp on the same workloads in one process, alternating, and prints the ratios.

        dotnet run -c Release --project benchmarks/Nabla.Benchmarks -- [options]
          --only ID[,ID...]    workloads to run (default: all; see --list)
          --threads N[,N...]   thread counts (default: 1,2)
          --json FILE          also write the results as JSON: {"results": [...]}
          --no-torch           time Nabla alone (TorchSharp is not loaded)
          --steps N            timed steps per library (default: each workload's, cut to a time budget)
          --quick              shorter warm-up, budget and memory runs, for a smoke test
          --warmup SECONDS     warm-up per library before timing (default 1)
          --memory-steps N     steps of the solo memory runs of workloads that track memory (default 1000,
                               fewer if a run would pass 20 s)
          --list               list the workloads and exit
          --help               this text
        """;

    /// <summary>Workload ids to run; null for all.</summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>Thread counts, each run for every workload.</summary>
    public IReadOnlyList<int> Threads { get; init; } = [1, 2];

    /// <summary>Where to write the JSON report, if anywhere.</summary>
    public string? JsonPath { get; init; }

    /// <summary>Whether TorchSharp runs beside Nabla.</summary>
    public bool WithTorch { get; init; } = true;

    /// <summary>Warm-up, step counts and budgets.</summary>
    public TimingSettings Timing { get; init; } = Default;

    /// <summary>Print the workloads and exit.</summary>
    public bool List { get; init; }

    /// <summary>Print the usage and exit.</summary>
    public bool Help { get; init; }

    private static readonly TimingSettings Default = new(
        WarmupSeconds: 1.0, WarmupSteps: 5, Steps: null, BudgetSeconds: 6, MinSampleMs: 2, MemorySteps: 1000, MemorySeconds: 20);

    private static readonly TimingSettings Quick = new(
        WarmupSeconds: 0.3, WarmupSteps: 3, Steps: null, BudgetSeconds: 1.5, MinSampleMs: 2, MemorySteps: 200, MemorySeconds: 5);

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        // --quick sets the base; explicit --steps/--warmup/--memory-steps override it wherever they appear.
        if (args.Contains("--quick")) options = options with { Timing = Quick };
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            options = arg switch
            {
                "--only" => options with { Only = Items(Value(args, ref i)) },
                "--threads" => options with { Threads = [.. Items(Value(args, ref i)).Select(s => Positive(arg, s))] },
                "--json" => options with { JsonPath = Value(args, ref i) },
                "--no-torch" => options with { WithTorch = false },
                "--steps" => options with { Timing = options.Timing with { Steps = Positive(arg, Value(args, ref i)) } },
                "--warmup" => options with { Timing = options.Timing with { WarmupSeconds = Seconds(arg, Value(args, ref i)) } },
                "--memory-steps" => options with { Timing = options.Timing with { MemorySteps = Positive(arg, Value(args, ref i)) } },
                "--quick" => options,
                "--list" => options with { List = true },
                "--help" or "-h" => options with { Help = true },
                _ => throw new ArgumentException($"Unknown argument '{arg}'."),
            };
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"{args[i]} needs a value.");
        return args[++i];
    }

    private static string[] Items(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{option}: '{value}' is not a positive integer.");

    private static double Seconds(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s >= 0
            ? s
            : throw new ArgumentException($"{option}: '{value}' is not a number of seconds ≥ 0.");
}
