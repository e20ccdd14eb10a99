using Nabla.Cli.Training;

namespace Nabla.Cli.Generative;

/// <summary>latent-scatter.png: the latent means μ = (z₁, z₂) of a data set under a 2-dimensional VAE, one colour per label.</summary>
internal static class LatentScatterPlot
{
    /// <summary>Renders the points and writes a PNG of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    /// <param name="path">Where the PNG goes.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="mu">Latent means, row-major [N, 2].</param>
    /// <param name="labels">The label of each point.</param>
    public static void Save(string path, string title, float[] mu, long[] labels, int width = 760, int height = 700)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (long label in labels.Distinct().Order())
        {
            int[] points = [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] == label)];
            var scatter = plot.Add.Scatter(points.Select(i => (double)mu[2 * i]).ToArray(), points.Select(i => (double)mu[2 * i + 1]).ToArray());
            scatter.LineWidth = 0;
            scatter.MarkerSize = 3;
            scatter.Color = palette.GetColor((int)label).WithAlpha(0.7);
            scatter.LegendText = label.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        plot.Title(title);
        plot.XLabel("μ₁");
        plot.YLabel("μ₂");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        PngFile.Write(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
    }
}
