using System.Globalization;

namespace Nabla.Cli.Models;

/// <summary>The shape [C, H, W] of one input image of a classifier.</summary>
internal readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values per image: C·H·W.</summary>
    public int Features => Channels * Height * Width;

    /// <summary>From the shape of one sample, [C, H, W].</summary>
    public static ImageShape FromSample(IReadOnlyList<int> sample) =>
        sample.Count == 3 ? new(sample[0], sample[1], sample[2])
            : throw new ArgumentException($"an image sample has shape [C, H, W]; got [{string.Join(", ", sample)}]", nameof(sample));

    /// <summary>Reads "1,28,28"; null if it is not three whole numbers of at least 1.</summary>
    public static ImageShape? Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3) return null;
        var dims = new int[3];
        for (int i = 0; i < 3; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] < 1) return null;
        return new ImageShape(dims[0], dims[1], dims[2]);
    }

    /// <summary>"1,28,28", as checkpoint metadata stores it.</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{Channels},{Height},{Width}");
}
