using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.IO;

namespace Nabla.Cli.Tests;

/// <summary>Checks on the images a training run writes, read back with Nabla's own PNG decoder.</summary>
internal static partial class RunImages
{
    /// <summary>The file is a PNG of the given size that is not one flat colour.</summary>
    public static PngImage AssertPng(string path, int width, int height)
    {
        var image = Png.Read(path);
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.True(image.Pixels.Distinct().Count() > 2, $"{path} is a blank canvas");
        return image;
    }

    /// <summary>misclassified.png: a header band and a row of 104-pixel cells per 8 misclassified images (at most 64); the
    /// count comes from the run's "N of M test images misclassified" line.</summary>
    public static void AssertMisclassifiedGrid(string path, string output)
    {
        var m = Misclassified().Match(output);
        Assert.True(m.Success, $"the run does not say how many test images it misclassified:\n{output}");
        int wrong = int.Parse(m.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        int rows = (Math.Min(wrong, 64) + 7) / 8;
        // 8 columns of 104 px plus 8 px margins; a 34 px header, cells of 28·3 + 18 + 6 px, an 8 px bottom margin.
        var image = Png.Read(path);
        Assert.Equal((8 * 104 + 16, 34 + rows * 108 + 8), (image.Width, image.Height));
        Assert.True(image.Pixels.Distinct().Count() > 2, $"{path} is a blank canvas");
    }

    [GeneratedRegex(@"(\d[\d,]*) of [\d,]+ test images misclassified")]
    private static partial Regex Misclassified();
}
