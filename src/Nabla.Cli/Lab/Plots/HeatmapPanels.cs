using Nabla.Cli.Training;
using SkiaSharp;

namespace Nabla.Cli.Lab.Plots;

/// <summary>Several matrices of one kind side by side in one PNG, on one shared colour scale: the attention maps of the
/// heads of a layer, one panel per head.</summary>
internal static class HeatmapPanels
{
    /// <summary>One panel: its title and its matrix [rows, columns] (row 0 at the top).</summary>
    public sealed record Panel(string Title, double[,] Values);

    /// <summary>Renders <paramref name="panels"/> in rows of at most <paramref name="columns"/>, each
    /// <paramref name="panelWidth"/> × <paramref name="panelHeight"/> pixels, colours spanning
    /// [<paramref name="min"/>, <paramref name="max"/>] in every panel.</summary>
    public static void Save(string path, IReadOnlyList<Panel> panels, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        string xLabel, string yLabel, double min, double max, int columns = 4, int panelWidth = 420, int panelHeight = 400)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentOutOfRangeException.ThrowIfLessThan(panels.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        columns = Math.Min(columns, panels.Count);
        int rows = (panels.Count + columns - 1) / columns;
        int width = columns * panelWidth, height = rows * panelHeight;
        using var surface = SKSurface.Create(new SKImageInfo(width, height))
            ?? throw new InvalidOperationException($"HeatmapPanels: could not create a {width}×{height} drawing surface for {path}");
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            // Each panel renders on a surface of its own: a plot clears the whole canvas it is given before drawing.
            using var panel = SKSurface.Create(new SKImageInfo(panelWidth, panelHeight))
                ?? throw new InvalidOperationException($"HeatmapPanels: could not create a {panelWidth}×{panelHeight} drawing surface for {path}");
            Plot(panels[i], rowLabels, columnLabels, xLabel, yLabel, min, max).Render(panel.Canvas, panelWidth, panelHeight);
            using var snapshot = panel.Snapshot();
            surface.Canvas.DrawImage(snapshot, i % columns * panelWidth, i / columns * panelHeight);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        PngFile.Write(path, data.ToArray());
    }

    private static ScottPlot.Plot Plot(Panel panel, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        string xLabel, string yLabel, double min, double max)
    {
        int rows = panel.Values.GetLength(0), cols = panel.Values.GetLength(1);
        if (rowLabels.Count != rows || columnLabels.Count != cols)
            throw new ArgumentException($"HeatmapPanels {panel.Title}: {rowLabels.Count} row and {columnLabels.Count} column labels for a {rows} × {cols} matrix");
        var plot = new ScottPlot.Plot();
        var map = plot.Add.Heatmap(panel.Values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(min, max);
        plot.Add.ColorBar(map);
        // ScottPlot puts row 0 at the top of the image; cell (i, j) is centred at x = j, y = rows − 1 − i.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, cols).Select(j => new ScottPlot.Tick(j, columnLabels[j])).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(i => new ScottPlot.Tick(rows - 1 - i, rowLabels[i])).ToArray());
        plot.Title(panel.Title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }
}
