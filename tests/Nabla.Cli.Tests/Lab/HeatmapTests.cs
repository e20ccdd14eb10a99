using Nabla.Cli.Lab.Plots;

namespace Nabla.Cli.Tests.Lab;

/// <summary>How heatmap cells are annotated.</summary>
public sealed class HeatmapTests
{
    [Theory]
    [InlineData(100.0, "100")]
    [InlineData(99.4, "99")]
    [InlineData(23.9, "24")]
    [InlineData(1.26, "1.3")]
    [InlineData(2.0, "2")]
    [InlineData(0.53, "0.53")]
    [InlineData(0.0, "0")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(2.9e-9, "2.9E-09")]
    [InlineData(123456.0, "1.2E+05")]
    public void CellLabel_UsesWholeNumbersFromTenAndTwoSignificantDigitsBelowOne(double value, string expected) =>
        Assert.Equal(expected, Heatmap.CellLabel(value));
}
