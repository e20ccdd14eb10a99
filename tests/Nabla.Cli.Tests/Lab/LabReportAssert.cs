using Nabla.Cli.Lab;

namespace Nabla.Cli.Tests.Lab;

/// <summary>What every finished experiment folder must hold.</summary>
internal static class LabReportAssert
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>report.md, report.html and results.json exist and agree; the verdict is one of the three; the figures
    /// are finite and at least one; every image exists, is a PNG of a plausible size and is shown by both reports.</summary>
    public static void Complete(string directory, string name, string expectedScale, long expectedSeed)
    {
        var result = LabResult.Read(Path.Combine(directory, LabReportWriter.JsonFile));
        Assert.Equal(name, result.Name);
        Assert.Equal(expectedScale, result.Scale);
        Assert.Equal(expectedSeed, result.Seed);
        VerdictText.Parse(result.Verdict);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.NotEmpty(result.Numbers);
        Assert.All(result.Numbers, n => Assert.True(double.IsFinite(n.Value), $"{name}: figure {n.Key} = {n.Value}"));
        Assert.NotEmpty(result.Images);

        string markdown = File.ReadAllText(Path.Combine(directory, LabReportWriter.MarkdownFile));
        string html = File.ReadAllText(Path.Combine(directory, LabReportWriter.HtmlFile));
        Assert.Contains($"Verdict: {result.Verdict}.", markdown);
        Assert.Contains($"Verdict: {result.Verdict}.", html);
        Assert.Contains(result.Claim, markdown);
        foreach (var image in result.Images)
        {
            string path = Path.Combine(directory, image);
            Assert.True(File.Exists(path), $"{name}: {image} is shown but missing");
            var bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length > 200 && bytes.AsSpan(0, 8).SequenceEqual(PngSignature), $"{name}: {image} is not a PNG");
            int width = BigEndian(bytes, 16), height = BigEndian(bytes, 20);
            Assert.InRange(width, 16, 4000);
            Assert.InRange(height, 16, 4000);
            Assert.Contains($"]({image})", markdown);
            Assert.Contains($"src=\"{image}\"", html);
        }
    }

    private static int BigEndian(byte[] b, int at) => b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3];
}
