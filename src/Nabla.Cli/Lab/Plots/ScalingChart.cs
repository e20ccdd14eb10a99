using System.Globalization;
using Nabla.Cli.Training;

namespace Nabla.Cli.Lab.Plots;

/// <summary>How a cost grows with a size, on log-log axes: one line per series, x ticks at the measured sizes and y ticks
/// at 1, 2 and 5 times the powers of ten, so a power law y ∝ x^p is a straight line of slope p that can be read off.</summary>
internal static class ScalingChart
{
    /// <summary>A series: its legend text and its positive points.</summary>
    public sealed record Series(string Name, double[] X, double[] Y);

    /// <summary>Renders the chart to <paramref name="path"/>; every x and y must be positive. The legend sits top left,
    /// where growing costs leave room.</summary>
    public static void Save(string path, string title, string xLabel, string yLabel, IReadOnlyList<Series> series, int width = 900, int height = 540)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.X.Length != s.Y.Length || s.X.Concat(s.Y).Any(v => !(v > 0) || !double.IsFinite(v)))
                throw new ArgumentException($"ScalingChart {title}: series '{s.Name}' needs as many x as y values, all positive and finite");
            var line = plot.Add.ScatterLine(s.X.Select(Math.Log10).ToArray(), s.Y.Select(Math.Log10).ToArray());
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.Color = palette.GetColor(i);
        }
        var xs = series.SelectMany(s => s.X).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. xs.Select(x => new ScottPlot.Tick(Math.Log10(x), x.ToString("G4", CultureInfo.InvariantCulture)))]);
        var ys = series.SelectMany(s => s.Y).ToArray();
        double low = Math.Log10(ys.Min()), high = Math.Log10(ys.Max()), room = Math.Max(0.3, 0.3 * (high - low));
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. OneTwoFive(low - 0.1, high + room)
            .Select(y => new ScottPlot.Tick(Math.Log10(y), y.ToString("0.####", CultureInfo.InvariantCulture)))]);
        plot.Axes.SetLimitsY(low - 0.1, high + room);
        plot.Title(title);
        plot.XLabel(xLabel + " (log scale)");
        plot.YLabel(yLabel + " (log scale)");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        PngFile.Write(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
    }

    // 1, 2, 5 × 10^k between 10^low and 10^high.
    private static IEnumerable<double> OneTwoFive(double low, double high)
    {
        for (int power = (int)Math.Floor(low); power <= (int)Math.Ceiling(high); power++)
            foreach (double m in (double[])[1, 2, 5])
            {
                double y = m * Math.Pow(10, power);
                double log = Math.Log10(y);
                if (log >= low && log <= high) yield return y;
            }
    }
}
