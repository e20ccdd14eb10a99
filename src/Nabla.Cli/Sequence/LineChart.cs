using Nabla.Cli.Training;

namespace Nabla.Cli.Sequence;

/// <summary>One PNG line chart of several named series (loss curves, accuracy against length).</summary>
internal static class LineChart
{
    /// <summary>A series: its legend text and points.</summary>
    public sealed record Series(string Name, double[] X, double[] Y, bool Markers = false);

    /// <summary>Renders the chart to <paramref name="path"/>.</summary>
    public static void Save(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series,
        bool logX = false, int width = 900, int height = 540)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var s in series)
        {
            if (s.X.Length == 0) continue;
            var xs = logX ? s.X.Select(Math.Log10).ToArray() : s.X;
            var line = plot.Add.ScatterLine(xs, s.Y);
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = s.Markers ? 8 : 0;
            line.Color = palette.GetColor(i++);
        }
        if (logX)
        {
            var ticks = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => Math.Pow(10, v).ToString("G3", System.Globalization.CultureInfo.InvariantCulture) };
            plot.Axes.Bottom.TickGenerator = ticks;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        PngFile.Write(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
    }
}
