using System.Globalization;

namespace Nabla.Cli.Models;

/// <summary>The checkpoint metadata keys every classifier the CLI trains carries besides its architecture's own, so
/// <c>nabla predict</c> can prepare an image as training prepared the data.</summary>
internal static class ModelMetadata
{
    /// <summary>The architecture name ("mlp", …) that selects how to rebuild the network.</summary>
    public const string Arch = "arch";

    /// <summary>One input image's shape as "C,H,W".</summary>
    public const string InputShape = "input_shape";

    /// <summary>The mean subtracted from pixels in [0, 1] before the network (torchvision's <c>Normalize</c>).</summary>
    public const string NormalizeMean = "normalize_mean";

    /// <summary>The standard deviation pixels were divided by after subtracting the mean.</summary>
    public const string NormalizeStd = "normalize_std";

    /// <summary>The input entries for images of <paramref name="sample"/> shape [C, H, W] normalized by (x − mean) / std.</summary>
    public static Dictionary<string, string> Input(IReadOnlyList<int> sample, float mean, float std) => new()
    {
        [InputShape] = ImageShape.FromSample(sample).Format(),
        [NormalizeMean] = mean.ToString("R", CultureInfo.InvariantCulture),
        [NormalizeStd] = std.ToString("R", CultureInfo.InvariantCulture),
    };
}
