using System.Text;

namespace Nabla.Cli.Lab;

/// <summary>Writes index.html and index.md in a lab folder: one row per experiment folder holding a results.json, in
/// course order, with the claim, the verdict and its reason, and a link to the report.</summary>
internal static class LabIndex
{
    /// <summary>The HTML index's file name.</summary>
    public const string HtmlFile = "index.html";

    /// <summary>The Markdown index's file name.</summary>
    public const string MarkdownFile = "index.md";

    /// <summary>Writes both indexes into <paramref name="directory"/> and returns the results they list.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<LabResult> Write(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"lab index: {directory} does not exist; expected the --out folder of nabla lab run");
        var results = Directory.GetDirectories(directory)
            .Select(d => Path.Combine(d, LabReportWriter.JsonFile))
            .Where(File.Exists)
            .Select(LabResult.Read)
            .OrderBy(r => Rank(r.Name)).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        File.WriteAllText(Path.Combine(directory, HtmlFile), Html(results));
        File.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown(results));
        return results;
    }

    private static int Rank(string name)
    {
        int i = Array.IndexOf(LabRegistry.CourseOrder, name);
        return i < 0 ? int.MaxValue : i;
    }

    private static string Markdown(IReadOnlyList<LabResult> results)
    {
        var md = new StringBuilder("# Nabla lab\n\nEach experiment tests one textbook claim on this machine; the verdict is computed from the run's own measurements.\n\n");
        md.Append("| experiment | claim | verdict | scale | time |\n|---|---|---|---|---|\n");
        foreach (var r in results)
            md.Append("| [").Append(r.Name).Append("](").Append(r.Name).Append('/').Append(LabReportWriter.MarkdownFile).Append(") | ")
                .Append(r.Claim.Replace("|", "\\|", StringComparison.Ordinal)).Append(" | **").Append(r.Verdict).Append("**: ")
                .Append(r.Reason.Replace("|", "\\|", StringComparison.Ordinal)).Append(" | ").Append(r.Scale).Append(" | ").Append(LabFormat.Seconds(r.Seconds)).Append(" |\n");
        return md.ToString();
    }

    private static string Html(IReadOnlyList<LabResult> results)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Nabla lab</title>\n<style>")
            .Append(LabReportWriter.Style).Append("</style>\n</head>\n<body>\n<h1>Nabla lab</h1>\n")
            .Append("<p>Each experiment tests one textbook claim on this machine; the verdict is computed from the run's own measurements.</p>\n")
            .Append("<table>\n<tr><th>experiment</th><th>claim</th><th>verdict</th><th>scale</th><th>time</th><th>first figure</th></tr>\n");
        foreach (var r in results)
        {
            var verdict = VerdictText.Parse(r.Verdict);
            html.Append("<tr><td><a href=\"").Append(LabReportWriter.Escape($"{r.Name}/{LabReportWriter.HtmlFile}")).Append("\">").Append(LabReportWriter.Escape(r.Name))
                .Append("</a></td><td>").Append(LabReportWriter.Inline(r.Claim)).Append("</td><td class=\"verdict ").Append(LabReportWriter.CssClass(verdict))
                .Append("\"><strong>").Append(LabReportWriter.Escape(r.Verdict)).Append("</strong>: ").Append(LabReportWriter.Inline(r.Reason))
                .Append("</td><td>").Append(LabReportWriter.Escape(r.Scale)).Append("</td><td>").Append(LabReportWriter.Escape(LabFormat.Seconds(r.Seconds))).Append("</td><td>");
            if (r.Images.Length > 0)
                html.Append("<img src=\"").Append(LabReportWriter.Escape($"{r.Name}/{r.Images[0]}")).Append("\" alt=\"").Append(LabReportWriter.Escape(r.Name))
                    .Append("\" style=\"max-width:220px\">");
            html.Append("</td></tr>\n");
        }
        html.Append("</table>\n").Append(LabReportWriter.ImageCheckScript).Append("</body>\n</html>\n");
        return html.ToString();
    }
}
