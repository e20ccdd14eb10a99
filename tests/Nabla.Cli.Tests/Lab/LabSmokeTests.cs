using Nabla.Cli.Lab;

namespace Nabla.Cli.Tests.Lab;

/// <summary>Every experiment of the course runs its <c>--smoke</c> configuration and writes a complete report: the three
/// files, a verdict, finite figures, and every image it shows as a real PNG in its folder.</summary>
public sealed class LabSmokeTests : IDisposable
{
    private readonly TinyMnist data = new(train: 120, test: 60, classes: 10);
    private readonly string root = Path.Combine(Path.GetTempPath(), "nabla-lab-tests-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Experiments => [.. LabRegistry.CourseOrder];

    [Theory]
    [MemberData(nameof(Experiments))]
    public void Smoke_run_writes_a_complete_report(string name)
    {
        var result = CliRunner.Run("lab", "run", name, "--smoke", "--seed", "3", "--out", root, "--data", data.Path, "--runs", Path.Combine(root, "no-runs"));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}\n{result.Out}");
        LabReportAssert.Complete(Path.Combine(root, name), name, expectedScale: "smoke", expectedSeed: 3);
    }

    public void Dispose()
    {
        data.Dispose();
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { }   // a leftover temp folder is harmless
    }
}
