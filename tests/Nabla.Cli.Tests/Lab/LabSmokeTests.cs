using Nabla.Cli.Lab;

namespace Nabla.Cli.Tests.Lab;

/// <summary>Runs <c>nabla lab run all --smoke</c> once, into one lab folder, for the tests below.</summary>
public sealed class LabSmokeRun : IDisposable
{
    public LabSmokeRun()
    {
        var result = CliRunner.Run("lab", "run", "all", "--smoke", "--seed", "3", "--out", Root, "--data", data.Path, "--runs", Path.Combine(Root, "no-runs"));
        (ExitCode, Out, Error) = (result.ExitCode, result.Out, result.Error);
    }

    private readonly TinyMnist data = new(train: 120, test: 60, classes: 10);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "nabla-lab-tests-" + Guid.NewGuid().ToString("N"));

    public int ExitCode { get; }

    public string Out { get; }

    public string Error { get; }

    public void Dispose()
    {
        data.Dispose();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }   // a leftover temp folder is harmless
    }
}

/// <summary>Every experiment of the course runs its <c>--smoke</c> configuration and writes a complete report (the
/// three files, a verdict, finite figures, every image it shows as a real PNG), the index lists them all, and in a
/// browser every image of the index and of every report loads.</summary>
public sealed class LabSmokeTests(LabSmokeRun run) : IClassFixture<LabSmokeRun>
{
    public static TheoryData<string> Experiments => [.. LabRegistry.CourseOrder];

    [Fact]
    public void Run_all_succeeds_and_indexes_every_experiment()
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");
        string index = File.ReadAllText(Path.Combine(run.Root, LabIndex.MarkdownFile));
        foreach (var name in LabRegistry.CourseOrder) Assert.Contains($"[{name}]({name}/report.md)", index);
        Assert.Contains($"({LabRegistry.CourseOrder.Length} reports)", run.Out);
    }

    [Theory]
    [MemberData(nameof(Experiments))]
    public void Smoke_run_writes_a_complete_report(string name)
    {
        Assert.False(run.Error.Contains($"{name} failed", StringComparison.Ordinal), run.Error);
        LabReportAssert.Complete(Path.Combine(run.Root, name), name, expectedScale: "smoke", expectedSeed: 3);
    }

    [ChromiumFact]
    public void In_a_browser_every_image_of_the_index_and_the_reports_loads()
    {
        var (loaded, missing) = HeadlessChromium.ImageMark(HeadlessChromium.Dump(new Uri(Path.Combine(run.Root, LabIndex.HtmlFile)).AbsoluteUri));
        Assert.Equal(0, missing);
        Assert.Equal(LabRegistry.CourseOrder.Length, loaded);   // the index shows each experiment's first figure
        foreach (var name in LabRegistry.CourseOrder)
        {
            var result = LabResult.Read(Path.Combine(run.Root, name, LabReportWriter.JsonFile));
            var mark = HeadlessChromium.ImageMark(HeadlessChromium.Dump(new Uri(Path.Combine(run.Root, name, LabReportWriter.HtmlFile)).AbsoluteUri));
            Assert.Equal((result.Images.Length, 0), mark);
        }
    }
}
