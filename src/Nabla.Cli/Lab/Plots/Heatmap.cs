using System.Globalization;
using Nabla.Cli.Training;

namespace Nabla.Cli.Lab.Plots;

/// <summary>A matrix as a colour image with a colour bar, optional row and column labels and, for small matrices, the
/// values written in the cells.</summary>
internal static class Heatmap
{
    /// <summary>Renders <paramref name="values"/> [rows, columns] with row 0 at the top.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">The title above.</param>
    /// <param name="values">The matrix.</param>
    /// <param name="rowLabels">One label per row (top to bottom), or null for the indices.</param>
    /// <param name="columnLabels">One label per column, or null for the indices.</param>
    /// <param name="xLabel">The x axis title.</param>
    /// <param name="yLabel">The y axis title.</param>
    /// <param name="annotate">Writes each value in its cell (for matrices up to about 12 × 12).</param>
    /// <param name="diverging">A blue–white–red map centred on 0 instead of viridis.</param>
    public static void Save(string path, string title, double[,] values, IReadOnlyList<string>? rowLabels = null, IReadOnlyList<string>? columnLabels = null,
        string xLabel = "", string yLabel = "", bool annotate = false, bool diverging = false)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rowLabels is not null && rowLabels.Count != rows) throw new ArgumentException($"Heatmap {title}: {rowLabels.Count} row labels for {rows} rows");
        if (columnLabels is not null && columnLabels.Count != cols) throw new ArgumentException($"Heatmap {title}: {columnLabels.Count} column labels for {cols} columns");
        var plot = new ScottPlot.Plot();
        var map = plot.Add.Heatmap(values);
        if (diverging)
        {
            double limit = Math.Max(1e-12, values.Cast<double>().Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(1).Max());
            map.Colormap = new ScottPlot.Colormaps.MellowRainbow();
            map.ManualRange = new ScottPlot.Range(-limit, limit);
        }
        else
        {
            map.Colormap = new ScottPlot.Colormaps.Viridis();
        }
        plot.Add.ColorBar(map);
        // ScottPlot puts row 0 at the top of the image; cell (i, j) is centred at x = j, y = rows − 1 − i.
        if (columnLabels is not null && cols <= 64)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                Enumerable.Range(0, cols).Select(j => new ScottPlot.Tick(j, columnLabels[j])).ToArray());
        if (rowLabels is not null && rows <= 64)
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                Enumerable.Range(0, rows).Select(i => new ScottPlot.Tick(rows - 1 - i, rowLabels[i])).ToArray());
        if (annotate)
        {
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                {
                    var text = plot.Add.Text(CellLabel(values[i, j]), j, rows - 1 - i);
                    text.LabelFontSize = 11;
                    text.LabelFontColor = ScottPlot.Colors.White;
                    text.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                }
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        int width = Math.Clamp(120 + 28 * cols, 520, 1100), height = Math.Clamp(110 + 26 * rows, 380, 900);
        PngFile.Write(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
    }

    /// <summary>A cell's annotation: two significant digits, but whole numbers from 10 up and one decimal from 1 to 10,
    /// so an accuracy of 100 reads "100" rather than "1E+02".</summary>
    internal static string CellLabel(double value)
    {
        double magnitude = Math.Abs(value);
        if (magnitude >= 10 && magnitude < 1e5) return value.ToString("F0", CultureInfo.InvariantCulture);
        if (magnitude >= 1 && magnitude < 10) return value.ToString("0.#", CultureInfo.InvariantCulture);
        return value.ToString("G2", CultureInfo.InvariantCulture);
    }
}
