using Nabla.Cli.Training;
using Nabla.Tensors;
using SkiaSharp;

namespace Nabla.Cli.Generative;

/// <summary>Draws gray images [N, 1, H, W] with pixels in [0, 1] as a PNG grid: <c>columns</c> images per row, each
/// scaled up by whole pixels (nearest neighbour), on a white background, with an optional title above.</summary>
/// <remarks>The size is fixed by the arguments: width = 2·margin + columns·(W·scale) + (columns − 1)·gap, height =
/// header + 2·margin + rows·(H·scale) + (rows − 1)·gap, where the header is 26 pixels with a title and 0 without.</remarks>
internal static class ImageGrid
{
    /// <summary>Pixels between images.</summary>
    public const int Gap = 2;

    /// <summary>Pixels around the grid.</summary>
    public const int Margin = 4;

    /// <summary>Height of the title band.</summary>
    public const int HeaderHeight = 26;

    /// <summary>Writes the grid to <paramref name="path"/>.</summary>
    /// <param name="path">The PNG to write (replaced through a temporary file).</param>
    /// <param name="images">[N, 1, H, W] (or [N, H, W]) with values in [0, 1]; values outside are clipped.</param>
    /// <param name="columns">Images per row; the rows follow from N.</param>
    /// <param name="scale">Screen pixels per image pixel.</param>
    /// <param name="title">A line above the grid, or null for none.</param>
    /// <param name="gap">Pixels between neighbouring images (0 for a seamless mosaic such as a latent manifold).</param>
    public static void Save(string path, Tensor images, int columns, int scale = 2, string? title = null, int gap = Gap)
    {
        var (width, height) = Size(images, columns, scale, title is not null, gap);
        var shape = images.Shape;
        int n = shape[0], h = shape[^2], w = shape[^1];
        float[] pixels = images.Contiguous().To(DType.Float32).ToArray<float>();

        using var surface = SKSurface.Create(new SKImageInfo(width, height))
            ?? throw new InvalidOperationException($"could not create a {width}×{height} drawing surface for {path}");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        int top = Margin;
        if (title is not null)
        {
            using var typeface = ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: false, italic: false);
            using var font = new SKFont(typeface, 14);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText(title, Margin, 18, SKTextAlign.Left, font, ink);
            top += HeaderHeight;
        }
        var bytes = new byte[h * w];
        for (int k = 0; k < n; k++)
        {
            var image = pixels.AsSpan(k * h * w, h * w);
            for (int p = 0; p < bytes.Length; p++) bytes[p] = (byte)Math.Clamp(MathF.Round(image[p] * 255), 0, 255);
            using var bitmap = SKImage.FromPixelCopy(new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque), bytes)
                ?? throw new InvalidOperationException($"could not make a {w}×{h} image");
            float x = Margin + k % columns * (w * scale + gap), y = top + k / columns * (h * scale + gap);
            canvas.DrawImage(bitmap, new SKRect(x, y, x + w * scale, y + h * scale), new SKSamplingOptions(SKFilterMode.Nearest));
        }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        PngFile.Write(path, data.ToArray());
    }

    /// <summary>The pixel size of the PNG that <see cref="Save"/> writes for these arguments.</summary>
    public static (int Width, int Height) Size(Tensor images, int columns, int scale, bool titled, int gap = Gap)
    {
        ArgumentNullException.ThrowIfNull(images);
        var shape = images.Shape;
        if (shape.Count is not (3 or 4) || (shape.Count == 4 && shape[1] != 1) || shape[0] < 1)
            throw new ArgumentException($"ImageGrid: images [{string.Join(", ", shape)}] must be gray [N, 1, H, W] or [N, H, W] with N ≥ 1", nameof(images));
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int n = shape[0], h = shape[^2], w = shape[^1];
        int rows = (n + columns - 1) / columns, cols = Math.Min(columns, n);
        return (2 * Margin + cols * w * scale + (cols - 1) * gap, (titled ? HeaderHeight : 0) + 2 * Margin + rows * h * scale + (rows - 1) * gap);
    }
}
