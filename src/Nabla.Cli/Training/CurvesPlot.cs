using SkiaSharp;

namespace Nabla.Cli.Training;

/// <summary>curves.png: two panels side by side, the training and test loss per epoch (left) and the training and test
/// accuracy per epoch (right), so over- and under-fitting show at a glance.</summary>
/// <remarks>The training figures are the means over each epoch's batches as the model trained (dropout on, weights
/// moving); the test figures are measured after the epoch in evaluation mode.</remarks>
internal static class CurvesPlot
{
    /// <summary>Renders both panels and writes them as one PNG of 2·<paramref name="panelWidth"/> × <paramref name="height"/> pixels.</summary>
    /// <param name="path">Where the PNG goes.</param>
    /// <param name="title">What was trained, e.g. "CNN 32-64-128-10 on MNIST"; each panel's title starts with it.</param>
    /// <param name="epochs">Each epoch's result, in order.</param>
    public static void Save(string path, string title, IReadOnlyList<EpochResult> epochs, int panelWidth = 700, int height = 500)
    {
        double[] x = [.. epochs.Select(e => (double)e.Epoch)];
        var loss = Panel($"{title}: loss", "cross-entropy loss", x,
            ("training loss (mean over the epoch)", [.. epochs.Select(e => e.TrainLoss)], ScottPlot.Colors.Navy),
            ("test loss", [.. epochs.Select(e => e.TestLoss)], ScottPlot.Colors.OrangeRed));
        loss.Axes.SetLimitsY(0, Math.Max(Max(epochs.Select(e => e.TrainLoss).Concat(epochs.Select(e => e.TestLoss))) * 1.1, 1e-3));
        var accuracy = Panel($"{title}: accuracy", "accuracy (%)", x,
            ("training accuracy (over the epoch)", [.. epochs.Select(e => 100 * e.TrainAccuracy)], ScottPlot.Colors.Navy),
            ("test accuracy", [.. epochs.Select(e => 100 * e.TestAccuracy)], ScottPlot.Colors.OrangeRed));
        accuracy.ShowLegend(ScottPlot.Alignment.LowerRight);

        using var surface = SKSurface.Create(new SKImageInfo(2 * panelWidth, height))
            ?? throw new InvalidOperationException($"could not create a {2 * panelWidth}×{height} drawing surface for {path}");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        // Each panel renders on a surface of its own: a plot clears the whole canvas it is given before drawing.
        foreach (var (plot, left) in new[] { (loss, 0), (accuracy, panelWidth) })
        {
            using var panel = SKSurface.Create(new SKImageInfo(panelWidth, height))
                ?? throw new InvalidOperationException($"could not create a {panelWidth}×{height} drawing surface for {path}");
            plot.Render(panel.Canvas, panelWidth, height);
            using var snapshot = panel.Snapshot();
            canvas.DrawImage(snapshot, left, 0);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        PngFile.Write(path, data.ToArray());
    }

    private static ScottPlot.Plot Panel(string title, string yLabel, double[] x, params (string Label, double[] Y, ScottPlot.Color Color)[] series)
    {
        var plot = new ScottPlot.Plot();
        foreach (var (label, y, color) in series)
        {
            var line = plot.Add.Scatter(x, y);
            line.LegendText = label;
            line.LineWidth = 2;
            line.MarkerSize = 8;
            line.Color = color;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        // Whole epochs only on the x axis, with half an epoch of margin so the first and last points are not on the frame.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (x.Length > 0) plot.Axes.SetLimitsX(x[0] - 0.5, x[^1] + 0.5);
        return plot;
    }

    private static double Max(IEnumerable<double> values) => values.Where(double.IsFinite).DefaultIfEmpty(0).Max();
}
