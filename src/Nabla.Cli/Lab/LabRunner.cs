using System.Diagnostics;

namespace Nabla.Cli.Lab;

/// <summary>Runs one experiment into its folder and writes its report.</summary>
internal static class LabRunner
{
    /// <summary>Runs <paramref name="experiment"/> in <c>OUT/NAME</c> (emptied of an earlier report first) and writes
    /// report.md, report.html and results.json there.</summary>
    /// <returns>The finished report.</returns>
    public static LabReport Run(ILabExperiment experiment, LabScale scale, long seed, string outDirectory, string dataDirectory, bool fetch,
        string runsDirectory, TextWriter log)
    {
        string directory = Path.Combine(outDirectory, experiment.Name);
        if (Directory.Exists(directory))
            foreach (var stale in Directory.GetFiles(directory)) File.Delete(stale);
        Directory.CreateDirectory(directory);
        log.WriteLine($"lab {experiment.Name} ({scale.ToString().ToLowerInvariant()}, seed {seed}): {experiment.Claim}");
        var context = new LabContext(scale, seed, directory, dataDirectory, fetch, runsDirectory, log);
        var report = new LabReport(experiment, scale, seed);
        var clock = Stopwatch.StartNew();
        experiment.Run(context, report);
        report.Seconds = clock.Elapsed.TotalSeconds;
        LabReportWriter.Write(report, directory);
        log.WriteLine($"lab {experiment.Name}: {VerdictText.Of(report.Verdict!.Value)}. {report.Reason} ({LabFormat.Seconds(report.Seconds)}; {Path.Combine(directory, LabReportWriter.MarkdownFile)})");
        return report;
    }
}
