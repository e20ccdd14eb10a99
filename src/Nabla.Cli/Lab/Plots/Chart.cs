using System.Globalization;
using Nabla.Cli.Training;

namespace Nabla.Cli.Lab.Plots;

/// <summary>A line chart of several named series, with either axis on a log₁₀ scale, as a PNG.</summary>
internal static class Chart
{
    /// <summary>A series: its legend text, its points, and whether to mark them.</summary>
    public sealed record Series(string Name, double[] X, double[] Y, bool Markers = false);

    /// <summary>Renders the chart to <paramref name="path"/>. On a log axis, points that are not positive are left out
    /// (a vanished gradient of exactly 0 has no logarithm); <paramref name="yLimits"/> fixes the y range (in data units);
    /// <paramref name="legend"/> places the legend where it hides no curve (curves that end at 100% sit top right).</summary>
    public static void Save(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series,
        bool logX = false, bool logY = false, (double Min, double Max)? yLimits = null, int width = 900, int height = 540,
        ScottPlot.Alignment legend = ScottPlot.Alignment.UpperRight)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (var s in series)
        {
            if (s.X.Length != s.Y.Length) throw new ArgumentException($"Chart {title}: series '{s.Name}' has {s.X.Length} x values and {s.Y.Length} y values");
            var keep = Enumerable.Range(0, s.X.Length)
                .Where(i => double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) && (!logX || s.X[i] > 0) && (!logY || s.Y[i] > 0)).ToArray();
            var color = palette.GetColor(colour++);
            if (keep.Length == 0) continue;
            var xs = keep.Select(i => logX ? Math.Log10(s.X[i]) : s.X[i]).ToArray();
            var ys = keep.Select(i => logY ? Math.Log10(s.Y[i]) : s.Y[i]).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = s.Markers ? 7 : 0;
            line.Color = color;
        }
        if (logX) plot.Axes.Bottom.TickGenerator = PowerTicks();
        if (logY) plot.Axes.Left.TickGenerator = PowerTicks();
        if (yLimits is { } limits)
            plot.Axes.SetLimitsY(logY ? Math.Log10(limits.Min) : limits.Min, logY ? Math.Log10(limits.Max) : limits.Max);
        plot.Title(title);
        plot.XLabel(xLabel + (logX ? " (log scale)" : ""));
        plot.YLabel(yLabel + (logY ? " (log scale)" : ""));
        plot.ShowLegend(legend);
        PngFile.Write(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
    }

    // Ticks on a log axis sit at whole powers of ten and read as the values, not their logarithms.
    private static ScottPlot.TickGenerators.NumericAutomatic PowerTicks() => new()
    {
        IntegerTicksOnly = true,
        LabelFormatter = v => PowerLabel(Math.Pow(10, v)),
    };

    // 1000 reads "1,000" rather than "1E+03"; very large and very small powers stay in scientific notation.
    private static string PowerLabel(double value) =>
        value is >= 1 and < 1e7 ? value.ToString("N0", CultureInfo.InvariantCulture)
            : value is >= 1e-4 and < 1 ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : value.ToString("0e+0", CultureInfo.InvariantCulture);
}
