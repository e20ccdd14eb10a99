using System.Diagnostics;

namespace Nabla.Cli.Data;

/// <summary>The repository's fetch scripts (scripts/fetch-mnist.sh, scripts/fetch-text.sh): found and run with bash,
/// their output passed to a log.</summary>
internal static class RepositoryScript
{
    /// <summary>The script at <paramref name="relativePath"/> under $NABLA_REPO if set, else in the first folder above the
    /// executable (then above the current directory) that holds it; null when there is none.</summary>
    /// <exception cref="InvalidOperationException">NABLA_REPO is set but does not hold the script.</exception>
    public static string? Find(string relativePath)
    {
        string? repo = Environment.GetEnvironmentVariable("NABLA_REPO");
        if (!string.IsNullOrEmpty(repo))
        {
            string candidate = Path.Combine(repo, relativePath);
            return File.Exists(candidate) ? candidate
                : throw new InvalidOperationException($"NABLA_REPO is '{repo}' but {candidate} does not exist; expected the Nabla repository root");
        }
        return FindAbove(AppContext.BaseDirectory, relativePath) ?? FindAbove(Environment.CurrentDirectory, relativePath);
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>, copying its output to <paramref name="log"/>.</summary>
    /// <exception cref="InvalidOperationException">The script fails; the message names <paramref name="what"/> and its last error line.</exception>
    public static void Run(string script, IEnumerable<string> arguments, TextWriter log, string what)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
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
            throw new InvalidOperationException($"{what} failed: {script} exited with code {process.ExitCode}{(lastError.Length > 0 ? $" ({lastError})" : "")}");
    }

    private static string? FindAbove(string start, string relativePath)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
