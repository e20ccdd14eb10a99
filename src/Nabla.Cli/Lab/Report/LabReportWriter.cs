using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Lab;

/// <summary>Writes a finished <see cref="LabReport"/> three ways into its experiment's folder: report.md (Markdown with
/// the images linked), report.html (the same page, images inline, readable without a network) and results.json (the
/// verdict and key figures, for the index and the tests).</summary>
internal static partial class LabReportWriter
{
    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>The HTML report's file name.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>The results' file name.</summary>
    public const string JsonFile = "results.json";

    /// <summary>Writes the three files into <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidOperationException">The report has no verdict, or shows an image that is not in the folder.</exception>
    public static void Write(LabReport report, string directory)
    {
        if (report.Verdict is null) throw new InvalidOperationException($"lab {report.Name}: the experiment ended without a verdict");
        foreach (var image in report.Images)
            if (!File.Exists(Path.Combine(directory, image)))
                throw new InvalidOperationException($"lab {report.Name}: the report shows {image}, which is not in {directory}");
        File.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown(report));
        File.WriteAllText(Path.Combine(directory, HtmlFile), Html(report));
        File.WriteAllText(Path.Combine(directory, JsonFile), Json(report));
    }

    /// <summary>The line that starts every verdict: "Verdict: supported."</summary>
    public static string VerdictLine(LabReport report) => $"Verdict: {VerdictText.Of(report.Verdict!.Value)}.";

    /// <summary>How to rerun exactly this report.</summary>
    public static string Command(LabReport report) =>
        $"nabla lab run {report.Name}{report.Scale switch { LabScale.Smoke => " --smoke", LabScale.Quick => " --quick", _ => "" }} --seed {report.Seed}";

    private static string RunLine(LabReport report) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Scale: {report.Scale.ToString().ToLowerInvariant()}, seed {report.Seed}, {LabFormat.Seconds(report.Seconds)} on {Environment.ProcessorCount} cores; reproduce with `{Command(report)}`.");

    private static string Markdown(LabReport report)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(report.Title).Append("\n\n");
        md.Append("**Claim.** ").Append(report.Claim).Append("\n\n");
        md.Append("**").Append(VerdictLine(report)).Append("** ").Append(report.Reason).Append("\n\n");
        md.Append("## Set-up\n\n");
        foreach (var block in report.SetupBlocks) MarkdownBlock(md, block);
        md.Append(RunLine(report)).Append("\n\n");
        if (report.Reused.Count > 0)
            md.Append("Reused checkpoints: ").Append(string.Join(", ", report.Reused.Select(r => $"`{r}`"))).Append("\n\n");
        md.Append("## Results\n\n");
        foreach (var block in report.Blocks) MarkdownBlock(md, block);
        md.Append("## ").Append(VerdictLine(report)).Append("\n\n").Append(report.Reason).Append("\n\n");
        if (report.Changes.Count > 0)
        {
            md.Append("## How to change the set-up\n\n");
            foreach (var change in report.Changes) md.Append("- ").Append(change).Append('\n');
            md.Append('\n');
        }
        return md.ToString();
    }

    private static void MarkdownBlock(StringBuilder md, LabBlock block)
    {
        switch (block)
        {
            case LabBlock.Heading h: md.Append("### ").Append(h.Value).Append("\n\n"); break;
            case LabBlock.Text t: md.Append(t.Value).Append("\n\n"); break;
            case LabBlock.List l:
                foreach (var item in l.Items) md.Append("- ").Append(item).Append('\n');
                md.Append('\n');
                break;
            case LabBlock.Code c: md.Append("```text\n").Append(c.Value.TrimEnd()).Append("\n```\n\n"); break;
            case LabBlock.Image i: md.Append("![").Append(i.Caption).Append("](").Append(i.File).Append(")\n\n*").Append(i.Caption).Append("*\n\n"); break;
            case LabBlock.Table t:
                md.Append("| ").Append(string.Join(" | ", t.Value.Headers.Select(Cell))).Append(" |\n|");
                foreach (var _ in t.Value.Headers) md.Append("---|");
                md.Append('\n');
                foreach (var row in t.Value.Rows) md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
                md.Append('\n');
                break;
            default: throw new InvalidOperationException($"lab report: unknown block {block.GetType().Name}");
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Html(LabReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Escape(report.Title)).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n<p class=\"nav\"><a href=\"../index.html\">← all experiments</a></p>\n");
        html.Append("<h1>").Append(Escape(report.Title)).Append("</h1>\n");
        html.Append("<p><strong>Claim.</strong> ").Append(Inline(report.Claim)).Append("</p>\n");
        html.Append("<p class=\"verdict ").Append(CssClass(report.Verdict!.Value)).Append("\"><strong>").Append(Escape(VerdictLine(report))).Append("</strong> ")
            .Append(Inline(report.Reason)).Append("</p>\n");
        html.Append("<h2>Set-up</h2>\n");
        foreach (var block in report.SetupBlocks) HtmlBlock(html, block);
        html.Append("<p>").Append(Inline(RunLine(report))).Append("</p>\n");
        if (report.Reused.Count > 0)
            html.Append("<p>Reused checkpoints: ").Append(string.Join(", ", report.Reused.Select(r => $"<code>{Escape(r)}</code>"))).Append("</p>\n");
        html.Append("<h2>Results</h2>\n");
        foreach (var block in report.Blocks) HtmlBlock(html, block);
        html.Append("<h2>").Append(Escape(VerdictLine(report))).Append("</h2>\n<p>").Append(Inline(report.Reason)).Append("</p>\n");
        if (report.Changes.Count > 0)
        {
            html.Append("<h2>How to change the set-up</h2>\n<ul>\n");
            foreach (var change in report.Changes) html.Append("<li>").Append(Inline(change)).Append("</li>\n");
            html.Append("</ul>\n");
        }
        html.Append(ImageCheckScript).Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Marks the page once it has loaded: body's data-images attribute reads "N loaded, M missing", and each
    /// image that failed to load gets a visible note naming its file. A reader sees a broken report at once, and the
    /// tests read the attribute from headless Chromium's DOM.</summary>
    public const string ImageCheckScript =
        "<script>window.addEventListener('load',function(){var ok=0,bad=0;for(var i=0;i<document.images.length;i++){var im=document.images[i];" +
        "if(im.complete&&im.naturalWidth>0){ok++;}else{bad++;var p=document.createElement('p');p.className='missing';p.textContent='image missing: '+im.getAttribute('src');" +
        "im.parentNode.insertBefore(p,im.nextSibling);}}document.body.setAttribute('data-images',ok+' loaded, '+bad+' missing');});</script>\n";

    private static void HtmlBlock(StringBuilder html, LabBlock block)
    {
        switch (block)
        {
            case LabBlock.Heading h: html.Append("<h3>").Append(Escape(h.Value)).Append("</h3>\n"); break;
            case LabBlock.Text t: html.Append("<p>").Append(Inline(t.Value)).Append("</p>\n"); break;
            case LabBlock.List l:
                html.Append("<ul>\n");
                foreach (var item in l.Items) html.Append("<li>").Append(Inline(item)).Append("</li>\n");
                html.Append("</ul>\n");
                break;
            case LabBlock.Code c: html.Append("<pre>").Append(Escape(c.Value.TrimEnd())).Append("</pre>\n"); break;
            case LabBlock.Image i:
                html.Append("<figure><img src=\"").Append(Escape(i.File)).Append("\" alt=\"").Append(Escape(i.Caption)).Append("\"><figcaption>")
                    .Append(Inline(i.Caption)).Append("</figcaption></figure>\n");
                break;
            case LabBlock.Table t:
                html.Append("<table>\n<tr>");
                foreach (var header in t.Value.Headers) html.Append("<th>").Append(Inline(header)).Append("</th>");
                html.Append("</tr>\n");
                foreach (var row in t.Value.Rows)
                {
                    html.Append("<tr>");
                    foreach (var cell in row) html.Append("<td>").Append(Inline(cell)).Append("</td>");
                    html.Append("</tr>\n");
                }
                html.Append("</table>\n");
                break;
            default: throw new InvalidOperationException($"lab report: unknown block {block.GetType().Name}");
        }
    }

    /// <summary>The shared page style of reports and the index.</summary>
    public const string Style =
        "body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}" +
        "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}th{background:#f3f3f3}" +
        "td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:.85em}" +
        "figure{margin:1em 0}img{max-width:100%;border:1px solid #ddd}figcaption{font-style:italic;color:#555}" +
        ".verdict{padding:.6em;border-left:6px solid #999;background:#fafafa}.supported{border-color:#2a9d3a}" +
        ".not-supported{border-color:#c0392b}.inconclusive{border-color:#d4a017}.nav{font-size:.9em}.missing{color:#c0392b;font-weight:bold}";

    /// <summary>The CSS class of a verdict.</summary>
    public static string CssClass(Verdict verdict) => VerdictText.Of(verdict).Replace(' ', '-');

    /// <summary>Text with HTML's five special characters escaped; everything else (², σ, →) stays as UTF-8, which the
    /// page declares.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>Escapes <paramref name="text"/> and turns Markdown's `code` and **bold** into HTML.</summary>
    public static string Inline(string text)
    {
        string escaped = Escape(text);
        escaped = CodeSpan().Replace(escaped, "<code>$1</code>");
        return BoldSpan().Replace(escaped, "<strong>$1</strong>");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex BoldSpan();

    private static string Json(LabReport report)
    {
        var result = new LabResult(report.Name, report.Title, report.Claim, VerdictText.Of(report.Verdict!.Value), report.Reason,
            report.Scale.ToString().ToLowerInvariant(), report.Seed, Math.Round(report.Seconds, 1),
            new SortedDictionary<string, double>(report.Numbers.ToDictionary(), StringComparer.Ordinal), [.. report.Images], [.. report.Reused]);
        return JsonSerializer.Serialize(result, LabResult.JsonOptions);
    }
}
