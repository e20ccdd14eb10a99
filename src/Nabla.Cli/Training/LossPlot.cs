namespace Nabla.Cli.Training;

/// <summary>loss.png: the training loss of every step and the test loss after each epoch, on one chart.</summary>
internal static class LossPlot
{
    /// <summary>Renders the chart and writes it as a PNG of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    /// <param name="path">Where the PNG goes (written through a temporary file, then renamed).</param>
    /// <param name="title">Chart title, e.g. "MLP 784-512-256-10 on MNIST".</param>
    /// <param name="stepLosses">Training loss of each step, step 1 first.</param>
    /// <param name="epochs">Each epoch's result; its test loss is drawn at its last step.</param>
    public static void Save(string path, string title, IReadOnlyList<double> stepLosses, IReadOnlyList<EpochResult> epochs,
        int width = 900, int height = 540)
    {
        var plot = new ScottPlot.Plot();
        if (stepLosses.Count > 0)
        {
            double[] steps = [.. Enumerable.Range(1, stepLosses.Count).Select(i => (double)i)];
            var train = plot.Add.ScatterLine(steps, stepLosses.ToArray());
            train.LegendText = "training loss (per step)";
            train.LineWidth = 1;
            train.Color = ScottPlot.Colors.SteelBlue.WithAlpha(0.45);

            int window = Math.Clamp(stepLosses.Count / 50, 1, 100);
            var smooth = plot.Add.ScatterLine(steps[(window - 1)..], MovingAverage(stepLosses, window));
            smooth.LegendText = $"training loss (mean of {window} steps)";
            smooth.LineWidth = 2;
            smooth.Color = ScottPlot.Colors.Navy;
        }
        if (epochs.Count > 0)
        {
            var test = plot.Add.Scatter(epochs.Select(e => (double)e.Step).ToArray(), epochs.Select(e => e.TestLoss).ToArray());
            test.LegendText = "test loss (per epoch)";
            test.LineWidth = 2;
            test.MarkerSize = 8;
            test.Color = ScottPlot.Colors.OrangeRed;
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("cross-entropy loss");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.Axes.SetLimitsY(0, Math.Max(UpperLimit(stepLosses, epochs), 1e-3));

        byte[] png = plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, png);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The mean of each run of <paramref name="window"/> consecutive values: element i covers values i … i + window − 1.</summary>
    private static double[] MovingAverage(IReadOnlyList<double> values, int window)
    {
        var result = new double[values.Count - window + 1];
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            if (i >= window - 1) result[i - window + 1] = sum / window;
        }
        return result;
    }

    // The first steps' loss (≈ ln 10 for ten classes) would flatten the rest of the curve; clip the y axis at a high
    // percentile of the per-step losses instead, and never below the test losses.
    private static double UpperLimit(IReadOnlyList<double> stepLosses, IReadOnlyList<EpochResult> epochs)
    {
        double top = epochs.Count > 0 ? epochs.Max(e => e.TestLoss) : 0;
        if (stepLosses.Count > 0)
        {
            var sorted = stepLosses.Where(double.IsFinite).Order().ToArray();
            if (sorted.Length > 0) top = Math.Max(top, sorted[(int)(0.99 * (sorted.Length - 1))]);
        }
        return top * 1.1;
    }
}
