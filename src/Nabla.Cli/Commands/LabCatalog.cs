using Nabla.Cli.Arguments;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>The specifications of <c>nabla lab list</c>, <c>lab run</c> and <c>lab index</c>.</summary>
internal static class LabCatalog
{
    /// <summary>Where lab reports go unless <c>--out</c> says otherwise.</summary>
    public const string DefaultOut = "runs/lab";

    private static readonly OptionSpec Out = new("--out", "DIR", "the lab folder: each experiment writes OUT/NAME/report.md, report.html, results.json and its PNGs", DefaultOut);

    /// <summary><c>nabla lab list</c>.</summary>
    public static readonly CommandSpec List = new("lab list", "Lists the lab's experiments: each tests one textbook claim about deep learning.", []);

    /// <summary><c>nabla lab run</c>.</summary>
    public static readonly CommandSpec Run = new("lab run",
        "Runs one experiment (or all) and writes its report: the claim, the set-up, the measurements in tables, PNG plots, and a verdict computed from the measurements, as Markdown and HTML.",
        [
            OptionSpec.Switch("--quick", "a configuration that finishes in under five minutes on 2 cores; may reuse checkpoints of nabla train runs found under --runs"),
            OptionSpec.Switch("--smoke", "a seconds-long configuration, for tests: shows the experiment works, decides nothing"),
            new("--seed", "N", "seeds every random choice of the run", "0"),
            Out,
            new("--data", "DIR", "the MNIST folder; fetched only if it is the default", Mnist.DefaultDirectory),
            new("--runs", "DIR", "where --quick looks for the run folders of nabla train (cnn, vae, gan) to reuse", "runs"),
            new("--threads", "N", "kernel threads", "all cores"),
        ],
        Operands: "NAME|all");

    /// <summary><c>nabla lab index</c>.</summary>
    public static readonly CommandSpec Index = new("lab index", "Writes OUT/index.html and OUT/index.md, linking every experiment report in the lab folder with its verdict.", [Out]);

    /// <summary>The words that may follow <c>nabla lab</c>.</summary>
    public static readonly string[] Verbs = ["list", "run", "index"];

    /// <summary>Every lab command.</summary>
    public static IEnumerable<CommandSpec> All => [List, Run, Index];

    /// <summary>The lines of <c>nabla --help</c> for the lab.</summary>
    public static string OverviewLines => $"  lab list      {List.Summary}\n  lab run       {Run.Summary}\n  lab index     {Index.Summary}\n";
}
