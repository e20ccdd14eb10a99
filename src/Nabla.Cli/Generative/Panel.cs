namespace Nabla.Cli.Generative;

/// <summary>One chart of a <see cref="SeriesPlot"/>.</summary>
/// <param name="Title">The chart title.</param>
/// <param name="XLabel">The x axis label.</param>
/// <param name="YLabel">The y axis label.</param>
/// <param name="Curves">The curves drawn.</param>
/// <param name="YLimits">Fixed y limits, or null to fit the data.</param>
internal sealed record Panel(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Curves, (double Min, double Max)? YLimits = null);
