using Nabla.Cli.Training;

namespace Nabla.Cli.Lab.Plots;

/// <summary>A bar chart with one group of bars per category and one bar per series in each group, as a PNG.</summary>
internal static class GroupedBars
{
    /// <summary>A series: its legend text and one value per category.</summary>
    public sealed record Series(string Name, double[] Values);

    /// <summary>Renders the chart to <paramref name="path"/>; category labels are written under their groups (keep them
    /// short: about 15 fit at the default width). On a log y axis, bars rise from a power of ten below the smallest value, and values that are
    /// not positive (an exact 0 has no logarithm) are left out.</summary>
    public static void Save(string path, string title, string xLabel, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<Series> series,
        bool logY = false, int width = 900, int height = 540)
    {
        ArgumentOutOfRangeException.ThrowIfZero(series.Count);
        foreach (var s in series)
            if (s.Values.Length != categories.Count)
                throw new ArgumentException($"GroupedBars {title}: series '{s.Name}' has {s.Values.Length} values for {categories.Count} categories");
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        // Each group spans 0.8 of a unit around its category's position; its bars split that evenly.
        double barWidth = 0.8 / series.Count;
        var positive = series.SelectMany(s => s.Values).Where(v => double.IsFinite(v) && v > 0).DefaultIfEmpty(1).ToArray();
        double floor = logY ? Math.Floor(Math.Log10(positive.Min())) - 0.5 : 0;
        var bars = new List<ScottPlot.Bar>();
        for (int s = 0; s < series.Count; s++)
        {
            var color = palette.GetColor(s);
            for (int c = 0; c < categories.Count; c++)
            {
                double value = series[s].Values[c];
                if (!double.IsFinite(value) || (logY && value <= 0)) continue;
                bars.Add(new ScottPlot.Bar
                {
                    Position = c - 0.4 + barWidth * (s + 0.5), ValueBase = floor, Value = logY ? Math.Log10(value) : value,
                    Size = barWidth * 0.95, FillColor = color, LineWidth = 0,
                });
            }
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = series[s].Name, FillColor = color });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. categories.Select((label, c) => new ScottPlot.Tick(c, label))]);
        if (logY)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                LabelFormatter = v => Math.Pow(10, v).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        else
        {
            plot.Add.HorizontalLine(0, 1, ScottPlot.Colors.Gray);
        }
        // Headroom above the tallest bar, so the legend in the upper right corner does not cover bars.
        var drawn = bars.Select(b => b.Value).DefaultIfEmpty(0).ToArray();
        double low = Math.Min(floor, drawn.Min()), high = Math.Max(floor, drawn.Max());
        plot.Axes.SetLimitsY(low - (logY ? 0 : 0.05 * (high - low)), high + 0.3 * (high - low) + (high == low ? 1 : 0));
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel + (logY ? " (log scale)" : ""));
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        PngFile.Write(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
    }
}
