using Nabla.Data;

namespace Nabla.Cli.Data;

/// <summary>Finds the four MNIST IDX files, fetching them with the repository's <c>scripts/fetch-mnist.sh</c> when allowed.</summary>
internal static class MnistSource
{
    private const string ScriptPath = "scripts/fetch-mnist.sh";

    private static readonly string[] Files = [Mnist.TrainImagesFile, Mnist.TrainLabelsFile, Mnist.TestImagesFile, Mnist.TestLabelsFile];

    /// <summary>Whether all four files are in <paramref name="directory"/>, plain or gzip-compressed.</summary>
    public static bool IsPresent(string directory) =>
        Files.All(f => File.Exists(Path.Combine(directory, f)) || File.Exists(Path.Combine(directory, f + ".gz")));

    /// <summary>Makes sure MNIST is in <paramref name="directory"/>, running the fetch script when it is not
    /// and <paramref name="fetchIfMissing"/>; says on <paramref name="log"/> what it does.</summary>
    /// <exception cref="InvalidOperationException">The script is not found or fails.</exception>
    public static void Ensure(string directory, bool fetchIfMissing, TextWriter log)
    {
        if (IsPresent(directory) || !fetchIfMissing) return;
        string script = FindScript();
        log.WriteLine($"MNIST is not in {directory}; fetching it with {script}");
        RunScript(script, directory, log);
        if (!IsPresent(directory))
            throw new InvalidOperationException($"fetch-mnist.sh finished but {directory} still lacks some of {string.Join(", ", Files)}");
    }

    /// <summary>The fetch script: under $NABLA_REPO if set, else in the first folder above the executable
    /// (then above the current directory) that holds scripts/fetch-mnist.sh.</summary>
    public static string FindScript() => RepositoryScript.Find(ScriptPath)
        ?? throw new InvalidOperationException(
            $"MNIST is missing and {ScriptPath} was not found above {AppContext.BaseDirectory}; set NABLA_REPO to the Nabla repository root, or put the four MNIST files in {Mnist.DefaultDirectory}");

    private static void RunScript(string script, string directory, TextWriter log) =>
        RepositoryScript.Run(script, [directory], log, "fetching MNIST");
}
