using Nabla.Cli.Training;

namespace Nabla.Cli.Sequence.Seq2Seq;

/// <summary>attention.png: the attention weights of one translation as a heatmap, source characters along x and output
/// characters along y, with a colour bar.</summary>
internal static class AttentionHeatmap
{
    /// <summary>Renders <paramref name="weights"/> [output steps, source length] (row i: the attention used to emit output i).</summary>
    public static void Save(string path, string title, double[,] weights, string source, string output)
    {
        int rows = weights.GetLength(0), cols = weights.GetLength(1);
        var plot = new ScottPlot.Plot();
        // ScottPlot draws row 0 at the top; flip so the first output character is at the top and ticks match.
        var map = plot.Add.Heatmap(weights);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map);
        var xTicks = Enumerable.Range(0, cols).Select(j => new ScottPlot.Tick(j, j < source.Length ? Show(source[j]) : "·")).ToArray();
        var yTicks = Enumerable.Range(0, rows).Select(i => new ScottPlot.Tick(rows - 1 - i, i < output.Length ? Show(output[i]) : "eos")).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xTicks);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(yTicks);
        plot.Title(title);
        plot.XLabel("source character");
        plot.YLabel("output character");
        PngFile.Write(path, plot.GetImageBytes(Math.Max(500, 60 + 24 * cols), Math.Max(360, 120 + 26 * rows), ScottPlot.ImageFormat.Png));
    }

    private static string Show(char c) => c == ' ' ? "␣" : c.ToString();
}
