using System.Globalization;
using Nabla.Cli.Models;
using Nabla.Models;

namespace Nabla.Cli.Generative;

/// <summary>A DCGAN to train or rebuild: its noise size and the training choices that define the run (label smoothing,
/// Adam's β₁), with the checkpoint metadata that records them.</summary>
/// <param name="Latent">Dimensions of the noise z.</param>
/// <param name="LabelSmoothing">One-sided label smoothing s: the discriminator's real target is 1 − s.</param>
/// <param name="Beta1">Adam's β₁ for both networks.</param>
internal sealed record GanRecipe(int Latent, double LabelSmoothing, double Beta1)
{
    /// <summary>The "arch" metadata value of the generator's checkpoint.</summary>
    public const string ArchName = "dcgan";

    /// <summary>Metadata keys.</summary>
    public const string LatentKey = "latent", LabelSmoothingKey = "label_smoothing", Beta1Key = "beta1";

    /// <summary>"DCGAN (noise 100)".</summary>
    public string Title => string.Create(CultureInfo.InvariantCulture, $"DCGAN (noise {Latent})");

    /// <summary>What rebuilds the generator, and the run's choices.</summary>
    public Dictionary<string, string> Metadata(ImageShape image) => new()
    {
        [ModelMetadata.Arch] = ArchName,
        [LatentKey] = Latent.ToString(CultureInfo.InvariantCulture),
        [LabelSmoothingKey] = LabelSmoothing.ToString("R", CultureInfo.InvariantCulture),
        [Beta1Key] = Beta1.ToString("R", CultureInfo.InvariantCulture),
        [ModelMetadata.InputShape] = image.Format(),
        // The generator's tanh range [−1, 1] is pixels x ∈ [0, 1] as (x − 0.5)/0.5.
        [ModelMetadata.NormalizeMean] = "0.5",
        [ModelMetadata.NormalizeStd] = "0.5",
    };

    /// <summary>The generator recorded in <paramref name="metadata"/>.</summary>
    /// <exception cref="InvalidDataException">The latent size is missing or malformed.</exception>
    public static int LatentFrom(IReadOnlyDictionary<string, string> metadata, string source)
    {
        string text = metadata.GetValueOrDefault(LatentKey, "");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int latent) && latent >= 1 ? latent
            : throw new InvalidDataException($"{source} has {LatentKey} '{text}'; expected a whole number of at least 1");
    }

    /// <summary>Checks that MNIST-format images of <paramref name="image"/> shape fit the DCGAN (gray 28×28).</summary>
    public static void CheckImages(ImageShape image, string data)
    {
        if (image.Channels != 1 || image.Height != DcganGenerator.Side || image.Width != DcganGenerator.Side)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"the images in {data} are {image.Channels}×{image.Height}×{image.Width}; the DCGAN generates gray {DcganGenerator.Side}×{DcganGenerator.Side} images"));
    }
}
