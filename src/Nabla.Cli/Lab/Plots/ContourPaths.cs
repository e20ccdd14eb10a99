using Nabla.Cli.Training;

namespace Nabla.Cli.Lab.Plots;

/// <summary>A function of two variables as a shaded map of log₁₀ f with contour lines at logarithmically spaced
/// levels, and the paths of iterative methods drawn over it, as a PNG: how optimizers move on a loss surface.</summary>
internal static class ContourPaths
{
    /// <summary>One path: its legend text and the points visited, in order (the first is the start).</summary>
    public sealed record Path(string Name, double[] X, double[] Y);

    /// <summary>Renders <paramref name="function"/> (positive over the area) on [xMin, xMax] × [yMin, yMax] and the
    /// paths over it; path points outside the area are drawn where they fall and clipped by the frame.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">The title above.</param>
    /// <param name="function">f(x, y) &gt; 0; shaded as log₁₀ f.</param>
    /// <param name="xRange">The horizontal extent.</param>
    /// <param name="yRange">The vertical extent.</param>
    /// <param name="paths">The paths, each with its own colour, markers on its points, the start ringed.</param>
    /// <param name="levels">How many contour lines, spaced evenly in log₁₀ f between the area's minimum and maximum.</param>
    /// <param name="minimum">Where to mark the minimum with a cross, or null.</param>
    public static void Save(string path, string title, Func<double, double, double> function, (double Min, double Max) xRange, (double Min, double Max) yRange,
        IReadOnlyList<Path> paths, int levels = 14, (double X, double Y)? minimum = null, int width = 900, int height = 540)
    {
        // The shading is coarse (few cells compress well in a PNG); the contour lines come from a finer grid.
        const int cells = 160, shades = 48;
        var plot = new ScottPlot.Plot();
        var grid = new ScottPlot.Coordinates3d[cells, cells];
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        for (int i = 0; i < cells; i++)
            for (int j = 0; j < cells; j++)
            {
                var (x, y) = Centre(i, j, cells, xRange, yRange);
                double z = LogOf(function, x, y);
                grid[i, j] = new ScottPlot.Coordinates3d(x, y, z);
                low = Math.Min(low, z);
                high = Math.Max(high, z);
            }
        var logF = new double[shades, shades];                 // row 0 at the top: y = yMax
        for (int i = 0; i < shades; i++)
            for (int j = 0; j < shades; j++)
            {
                var (x, y) = Centre(i, j, shades, xRange, yRange);
                logF[i, j] = LogOf(function, x, y);
            }
        var map = plot.Add.Heatmap(logF);
        map.Extent = new ScottPlot.CoordinateRect(xRange.Min, xRange.Max, yRange.Min, yRange.Max);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.Opacity = 0.55;
        var bar = plot.Add.ColorBar(map);
        bar.Label = "log₁₀ f";

        var contours = plot.Add.ContourLines(grid, levels);
        contours.ContourLineLevels = [.. Enumerable.Range(1, levels).Select(k => low + (high - low) * k / (levels + 1))];
        contours.Update(grid);
        contours.LineColor = ScottPlot.Colors.White.WithAlpha(0.8);
        contours.LineWidth = 1;
        contours.LabelStyle.IsVisible = false;

        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < paths.Count; k++)
        {
            var p = paths[k];
            if (p.X.Length != p.Y.Length) throw new ArgumentException($"ContourPaths {title}: path '{p.Name}' has {p.X.Length} x values and {p.Y.Length} y values");
            var keep = Enumerable.Range(0, p.X.Length).Where(i => double.IsFinite(p.X[i]) && double.IsFinite(p.Y[i])).ToArray();
            if (keep.Length == 0) continue;
            var line = plot.Add.ScatterLine(keep.Select(i => p.X[i]).ToArray(), keep.Select(i => p.Y[i]).ToArray());
            line.LegendText = p.Name;
            line.Color = palette.GetColor(k);
            line.LineWidth = 2;
            line.MarkerSize = 4;
            line.MarkerShape = ScottPlot.MarkerShape.FilledCircle;
        }
        if (paths.Count > 0 && paths[0].X.Length > 0)
            plot.Add.Marker(paths[0].X[0], paths[0].Y[0], ScottPlot.MarkerShape.OpenCircle, 14, ScottPlot.Colors.Black);
        if (minimum is { } m)
            plot.Add.Marker(m.X, m.Y, ScottPlot.MarkerShape.Cross, 14, ScottPlot.Colors.Black);

        plot.Axes.SetLimits(xRange.Min, xRange.Max, yRange.Min, yRange.Max);
        plot.Title(title);
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        PngFile.Write(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
    }

    // The centre of cell (i, j) of an n × n grid over the area, row 0 at the top.
    private static (double X, double Y) Centre(int i, int j, int n, (double Min, double Max) xRange, (double Min, double Max) yRange) =>
        (xRange.Min + (xRange.Max - xRange.Min) * (j + 0.5) / n, yRange.Max - (yRange.Max - yRange.Min) * (i + 0.5) / n);

    private static double LogOf(Func<double, double, double> function, double x, double y) => Math.Log10(Math.Max(function(x, y), 1e-300));
}
