using System.Globalization;
using Nabla.Cli.Training;

namespace Nabla.Cli.Audio;

/// <summary>A time × band heatmap (mel spectrogram or MFCC) with a time axis in seconds, labelled bands and a colour bar.</summary>
internal static class SpectrogramPlot
{
    /// <summary>Renders <paramref name="values"/> [rows, frames] (row 0 the lowest band) to a PNG.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="values">Row-major [rows, frames].</param>
    /// <param name="rows">Bands (mel bands or coefficients).</param>
    /// <param name="frames">Frames.</param>
    /// <param name="secondsPerFrame">hop / sample rate: frame t is centred at t·hop/sr seconds.</param>
    /// <param name="rowLabel">The y axis title.</param>
    /// <param name="ticks">(row, label) pairs for the y axis.</param>
    /// <param name="colourLabel">The colour bar's title ("dB", "power").</param>
    /// <param name="firstScaledRow">Rows below it are clipped to the colour range of the rest (MFCC's c0 would flatten it).</param>
    /// <param name="width">Image width, pixels.</param>
    /// <param name="height">Image height, pixels.</param>
    public static void Save(string path, string title, float[] values, int rows, int frames, double secondsPerFrame, string rowLabel,
        IReadOnlyList<(double Row, string Label)> ticks, string colourLabel, int firstScaledRow = 0, int width = 1000, int height = 520)
    {
        // ScottPlot draws row 0 of the intensities at the top: put the highest band there.
        var data = new double[rows, frames];
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < frames; t++) data[rows - 1 - r, t] = values[r * frames + t];
        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        if (firstScaledRow > 0 && firstScaledRow < rows)
        {
            var rest = values.AsSpan(firstScaledRow * frames);
            heatmap.ManualRange = new ScottPlot.Range(System.Numerics.Tensors.TensorPrimitives.Min(rest), System.Numerics.Tensors.TensorPrimitives.Max(rest));
        }
        heatmap.Extent = new ScottPlot.CoordinateRect(-0.5 * secondsPerFrame, (frames - 0.5) * secondsPerFrame, -0.5, rows - 0.5);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = colourLabel;
        var manual = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (row, label) in ticks) manual.AddMajor(row, label);
        plot.Axes.Left.TickGenerator = manual;
        plot.Axes.SetLimits(-0.5 * secondsPerFrame, (frames - 0.5) * secondsPerFrame, -0.5, rows - 0.5);
        plot.Title(title);
        plot.XLabel("time (s)");
        plot.YLabel(rowLabel);
        PngFile.Write(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
    }

    /// <summary>Up to <paramref name="count"/> evenly spaced rows labelled with <paramref name="label"/>(row).</summary>
    public static List<(double Row, string Label)> Ticks(int rows, int count, Func<int, string> label)
    {
        var ticks = new List<(double, string)>();
        int step = Math.Max(1, (int)Math.Ceiling(rows / (double)count));
        for (int r = 0; r < rows; r += step) ticks.Add((r, label(r)));
        return ticks;
    }

    /// <summary>A frequency for an axis: "440", "1.2k", "11k".</summary>
    public static string Hertz(double hz) => hz switch
    {
        < 1000 => hz.ToString("0", CultureInfo.InvariantCulture),
        < 10000 => (hz / 1000).ToString("0.0", CultureInfo.InvariantCulture) + "k",
        _ => (hz / 1000).ToString("0", CultureInfo.InvariantCulture) + "k",
    };
}
