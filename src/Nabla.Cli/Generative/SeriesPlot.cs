using Nabla.Cli.Training;
using SkiaSharp;

namespace Nabla.Cli.Generative;

/// <summary>Line charts side by side in one PNG: loss curves and the discriminator's outputs of a generative run.</summary>
internal static class SeriesPlot
{
    /// <summary>Renders the panels left to right, each <paramref name="panelWidth"/> × <paramref name="height"/> pixels.</summary>
    public static void Save(string path, IReadOnlyList<Panel> panels, int panelWidth = 700, int height = 480)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(panels.Count, 1);
        int width = panels.Count * panelWidth;
        using var surface = SKSurface.Create(new SKImageInfo(width, height))
            ?? throw new InvalidOperationException($"could not create a {width}×{height} drawing surface for {path}");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            // Each panel renders on a surface of its own: a plot clears the whole canvas it is given before drawing.
            using var panel = SKSurface.Create(new SKImageInfo(panelWidth, height))
                ?? throw new InvalidOperationException($"could not create a {panelWidth}×{height} drawing surface for {path}");
            Plot(panels[i]).Render(panel.Canvas, panelWidth, height);
            using var snapshot = panel.Snapshot();
            canvas.DrawImage(snapshot, i * panelWidth, 0);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        PngFile.Write(path, data.ToArray());
    }

    private static ScottPlot.Plot Plot(Panel panel)
    {
        var plot = new ScottPlot.Plot();
        foreach (var curve in panel.Curves)
        {
            var points = Enumerable.Range(0, curve.X.Length).Where(i => double.IsFinite(curve.Y[i])).ToArray();
            if (points.Length == 0) continue;
            var line = plot.Add.Scatter(points.Select(i => curve.X[i]).ToArray(), points.Select(i => curve.Y[i]).ToArray());
            line.LegendText = curve.Label;
            line.LineWidth = 2;
            line.MarkerSize = curve.Markers ? 8 : 0;
            line.Color = curve.Color;
        }
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        if (panel.YLimits is { } limits) plot.Axes.SetLimitsY(limits.Min, limits.Max);
        return plot;
    }
}
