namespace Nabla.Cli.Generative;

/// <summary>One curve of a <see cref="SeriesPlot"/> panel.</summary>
/// <param name="Label">The legend text.</param>
/// <param name="X">The x values (steps).</param>
/// <param name="Y">The y values; NaN points are left out.</param>
/// <param name="Color">The line colour.</param>
/// <param name="Markers">Whether points are marked (for sparse series such as one value per epoch).</param>
internal sealed record Series(string Label, double[] X, double[] Y, ScottPlot.Color Color, bool Markers = false);
