using Nabla.Cli.Lab;

namespace Nabla.Cli.Tests.Lab;

/// <summary>The report writer and the index on a small experiment defined here: what they write, what they refuse, and
/// (in a browser) that a missing image is caught.</summary>
public sealed class LabReportTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "nabla-lab-report-" + Guid.NewGuid().ToString("N"));

    private sealed class Squares(bool conclude = true, bool drawImage = true) : ILabExperiment
    {
        public string Name => "squares";
        public string Title => "Squares grow";
        public string Claim => "x² grows with x for x > 0.";

        public void Run(LabContext context, LabReport report)
        {
            report.Setup($"x from 1 to {context.Pick(3, 5, 10)}.");
            double[] x = [.. Enumerable.Range(1, context.Pick(3, 5, 10)).Select(i => (double)i)];
            double[] y = [.. x.Select(v => v * v)];
            var table = new LabTable("x", "x²");
            for (int i = 0; i < x.Length; i++) table.Row(LabFormat.F(x[i], 0), LabFormat.F(y[i], 0));
            report.Table(table).Number("last", y[^1]);
            if (drawImage) Nabla.Cli.Lab.Plots.Chart.Save(context.PathOf("squares.png"), "x²", "x", "x²", [new("x²", x, y)]);
            report.Image("squares.png", "x² against x | with a bar");
            if (conclude) report.Conclude(VerdictText.From(y.Zip(y.Skip(1)).All(p => p.Second > p.First), false), $"every step increased; the last value is {y[^1]}.");
        }
    }

    private LabReport Run(ILabExperiment experiment) =>
        LabRunner.Run(experiment, LabScale.Quick, 7, root, "unused", false, "unused", TextWriter.Null);

    [Fact]
    public void Writes_markdown_html_and_json_with_the_runs_numbers()
    {
        var report = Run(new Squares());
        Assert.Equal(Verdict.Supported, report.Verdict);
        string dir = Path.Combine(root, "squares");
        string md = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.Contains("**Verdict: supported.** every step increased; the last value is 25.", md);
        Assert.Contains("| 5 | 25 |", md);
        Assert.Contains("nabla lab run squares --quick --seed 7", md);
        Assert.Contains("![x² against x | with a bar](squares.png)", md);
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("<td>5</td><td>25</td>", html);
        Assert.Contains("x² against x | with a bar", html);
        var json = LabResult.Read(Path.Combine(dir, "results.json"));
        Assert.Equal(25, json.Numbers["last"]);
        Assert.Equal(["squares.png"], json.Images);
        Assert.Equal("quick", json.Scale);
        LabReportAssert.Complete(dir, "squares", "quick", 7);
    }

    [Fact]
    public void Refuses_a_report_without_a_verdict_or_with_a_missing_image()
    {
        var noVerdict = Assert.Throws<InvalidOperationException>(() => Run(new Squares(conclude: false)));
        Assert.Contains("without a verdict", noVerdict.Message);
        var noImage = Assert.Throws<InvalidOperationException>(() => Run(new Squares(drawImage: false)));
        Assert.Contains("squares.png", noImage.Message);
    }

    [Fact]
    public void Index_lists_each_result_with_its_verdict()
    {
        Run(new Squares());
        var results = LabIndex.Write(root);
        Assert.Single(results);
        string md = File.ReadAllText(Path.Combine(root, "index.md"));
        Assert.Contains("| [squares](squares/report.md) | x² grows with x for x > 0. | **supported**: every step increased; the last value is 25. | quick |", md);
        Assert.Contains("href=\"squares/report.html\"", File.ReadAllText(Path.Combine(root, "index.html")));
    }

    [ChromiumFact]
    public void A_browser_flags_an_image_that_is_missing()
    {
        Run(new Squares());
        string page = new Uri(Path.Combine(root, "squares", "report.html")).AbsoluteUri;
        Assert.Equal((1, 0), HeadlessChromium.ImageMark(HeadlessChromium.Dump(page)));
        File.Delete(Path.Combine(root, "squares", "squares.png"));
        string dom = HeadlessChromium.Dump(page);
        Assert.Equal((0, 1), HeadlessChromium.ImageMark(dom));
        Assert.Contains("image missing: squares.png", dom);
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { }
    }
}
