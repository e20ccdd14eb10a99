using System.Diagnostics;
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
    public static string FindScript()
    {
        string? repo = Environment.GetEnvironmentVariable("NABLA_REPO");
        if (!string.IsNullOrEmpty(repo))
        {
            string candidate = Path.Combine(repo, ScriptPath);
            return File.Exists(candidate) ? candidate
                : throw new InvalidOperationException($"NABLA_REPO is '{repo}' but {candidate} does not exist; expected the Nabla repository root");
        }
        return FindAbove(AppContext.BaseDirectory) ?? FindAbove(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException(
                $"MNIST is missing and {ScriptPath} was not found above {AppContext.BaseDirectory}; set NABLA_REPO to the Nabla repository root, or put the four MNIST files in {Mnist.DefaultDirectory}");
    }

    private static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, ScriptPath);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static void RunScript(string script, string directory, TextWriter log)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(directory);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start bash to run {script}");
        string lastError = "";
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (gate) { log.WriteLine(e.Data); if (e.Data.Length > 0) lastError = e.Data; }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"fetching MNIST failed: {script} exited with code {process.ExitCode}{(lastError.Length > 0 ? $" ({lastError})" : "")}");
    }
}
