using System.Globalization;
using Nabla.Data;
using SkiaSharp;

namespace Nabla.Cli.Training;

/// <summary>misclassified.png: the first test images (in test-set order) that the trained model gets wrong, in a grid,
/// each drawn as the image it is (gray, or RGB for three channels) and labelled "pred P / true T".</summary>
internal static class MisclassifiedGrid
{
    /// <summary>At most this many images are drawn.</summary>
    public const int MaxImages = 64;

    private const int Columns = 8, Scale = 3, CellWidth = 104, LabelHeight = 18, Margin = 8, HeaderHeight = 34;

    /// <summary>Draws the grid and writes it as a PNG.</summary>
    /// <param name="path">Where the PNG goes.</param>
    /// <param name="title">What was trained, e.g. "CNN 32-64-128-10"; the header names it.</param>
    /// <param name="test">The test split as the model saw it: images [N, C, H, W] normalized by (x − mean) / std, labels [N].</param>
    /// <param name="predictions">The model's class for each test image.</param>
    /// <param name="mean">The mean subtracted from pixels in [0, 1].</param>
    /// <param name="std">The standard deviation they were then divided by.</param>
    /// <returns>The number of misclassified test images (all of them, not only those drawn).</returns>
    public static int Save(string path, string title, TensorDataset test, long[] predictions, float mean, float std)
    {
        long[] labels = test.Targets.ToArray<long>();
        int[] wrong = [.. Enumerable.Range(0, labels.Length).Where(i => predictions[i] != labels[i])];
        int shown = Math.Min(wrong.Length, MaxImages);
        var shape = test.Inputs.Shape;   // [N, C, H, W]
        int channels = shape[1], height = shape[2], width = shape[3];
        int cellWidth = Math.Max(CellWidth, width * Scale + 8), cellHeight = height * Scale + LabelHeight + 6;
        int rows = (shown + Columns - 1) / Columns;
        int imageWidth = 2 * Margin + Columns * cellWidth, imageHeight = HeaderHeight + rows * cellHeight + Margin;

        using var surface = SKSurface.Create(new SKImageInfo(imageWidth, imageHeight))
            ?? throw new InvalidOperationException($"could not create a {imageWidth}×{imageHeight} drawing surface for {path}");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: false, italic: false);
        using var headerFont = new SKFont(typeface, 15);
        using var labelFont = new SKFont(typeface, 12);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var red = new SKPaint { Color = new SKColor(0xC0, 0x20, 0x20), IsAntialias = true };

        string header = wrong.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{title}: every one of the {labels.Length:N0} test images is classified correctly")
            : string.Create(CultureInfo.InvariantCulture, $"{title}: {wrong.Length:N0} of {labels.Length:N0} test images misclassified{(wrong.Length > shown ? $" (the first {shown})" : "")}");
        canvas.DrawText(header, Margin, 22, SKTextAlign.Left, headerFont, ink);

        float[] pixels = test.Inputs.ToArray<float>();   // fine for MNIST-sized test sets: 10,000 × 784 floats
        int plane = height * width, imageSize = channels * plane;
        for (int k = 0; k < shown; k++)
        {
            int i = wrong[k];
            using var digit = ToImage(pixels.AsSpan(i * imageSize, imageSize), channels, height, width, mean, std);
            float left = Margin + k % Columns * cellWidth, top = HeaderHeight + k / Columns * cellHeight;
            float x = left + (cellWidth - width * Scale) / 2f;
            canvas.DrawImage(digit, new SKRect(x, top, x + width * Scale, top + height * Scale), new SKSamplingOptions(SKFilterMode.Nearest));
            string label = string.Create(CultureInfo.InvariantCulture, $"pred {predictions[i]} / true {labels[i]}");
            canvas.DrawText(label, left + cellWidth / 2f, top + height * Scale + LabelHeight - 3, SKTextAlign.Center, labelFont, red);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        PngFile.Write(path, data.ToArray());
        return wrong.Length;
    }

    // One image [C, H, W] back to bytes: x·std + mean undoes the normalization, then [0, 1] → 0–255.
    private static SKImage ToImage(ReadOnlySpan<float> image, int channels, int height, int width, float mean, float std)
    {
        int plane = height * width;
        bool rgb = channels == 3;
        var bytes = new byte[rgb ? 4 * plane : plane];
        for (int p = 0; p < plane; p++)
        {
            if (!rgb) { bytes[p] = Byte(image[p]); continue; }
            bytes[4 * p] = Byte(image[p]);
            bytes[4 * p + 1] = Byte(image[plane + p]);
            bytes[4 * p + 2] = Byte(image[2 * plane + p]);
            bytes[4 * p + 3] = 255;
        }
        var info = new SKImageInfo(width, height, rgb ? SKColorType.Rgba8888 : SKColorType.Gray8, SKAlphaType.Opaque);
        return SKImage.FromPixelCopy(info, bytes) ?? throw new InvalidOperationException($"could not make a {width}×{height} image");

        byte Byte(float x) => (byte)Math.Clamp(MathF.Round((x * std + mean) * 255), 0, 255);
    }
}
