using System.Globalization;
using Nabla.Cli.Models;
using Nabla.Models;

namespace Nabla.Cli.Generative;

/// <summary>A VAE to train or rebuild: its architecture (mlp or conv), latent size, hidden width (mlp) and the β weight
/// of its KL term, with the checkpoint metadata that records them.</summary>
/// <param name="Arch">"mlp" (<see cref="MlpVae"/>) or "conv" (<see cref="ConvVae"/>).</param>
/// <param name="Latent">Dimensions of z.</param>
/// <param name="Hidden">Width of the MLP's hidden layers (unused by conv).</param>
/// <param name="Beta">The weight β of the KL term in training.</param>
internal sealed record VaeRecipe(string Arch, int Latent, int Hidden, double Beta)
{
    /// <summary>The "arch" metadata value of every VAE checkpoint.</summary>
    public const string ArchName = "vae";

    /// <summary>Metadata keys.</summary>
    public const string KindKey = "vae_arch", LatentKey = "latent", HiddenKey = "hidden", BetaKey = "beta";

    /// <summary>The architectures <c>--arch</c> accepts.</summary>
    public static readonly string[] Archs = ["mlp", "conv"];

    /// <summary>"MLP VAE 784-400-20" or "conv VAE (latent 20)", with β when it is not 1.</summary>
    public string Title(ImageShape image) =>
        (Arch == "mlp" ? Invariant($"MLP VAE {image.Features}-{Hidden}-{Latent}") : Invariant($"conv VAE (latent {Latent})"))
        + (Beta == 1 ? "" : Invariant($", β = {Beta:G4}"));

    /// <summary>The network for images of <paramref name="image"/> shape, initialized from <see cref="Nabla.Tensors.Generator.Default"/>.</summary>
    /// <exception cref="ArgumentException">The conv VAE gets an image whose sides are not multiples of 4.</exception>
    public Vae Build(ImageShape image) => Arch == "mlp"
        ? new MlpVae(Latent, Hidden, image.Channels, image.Height, image.Width)
        : new ConvVae(Latent, image.Channels, image.Height, image.Width);

    /// <summary>What rebuilds the model: arch, vae_arch, latent, hidden (mlp), beta, the input shape and the pixel scale.</summary>
    public Dictionary<string, string> Metadata(ImageShape image)
    {
        var metadata = new Dictionary<string, string>
        {
            [ModelMetadata.Arch] = ArchName,
            [KindKey] = Arch,
            [LatentKey] = Latent.ToString(CultureInfo.InvariantCulture),
            [BetaKey] = Beta.ToString("R", CultureInfo.InvariantCulture),
            [ModelMetadata.InputShape] = image.Format(),
            // Pixels are in [0, 1], unnormalized: the Bernoulli likelihood needs them so.
            [ModelMetadata.NormalizeMean] = "0",
            [ModelMetadata.NormalizeStd] = "1",
        };
        if (Arch == "mlp") metadata[HiddenKey] = Hidden.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }

    /// <summary>The recipe recorded in <paramref name="metadata"/>; <paramref name="source"/> names the file in errors.</summary>
    /// <exception cref="InvalidDataException">A value is missing or malformed.</exception>
    public static VaeRecipe FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        string arch = metadata.GetValueOrDefault(KindKey, "");
        if (!Archs.Contains(arch))
            throw new InvalidDataException($"{source} has {KindKey} '{arch}'; expected one of {string.Join(", ", Archs)}");
        int latent = Int(metadata, LatentKey, source);
        int hidden = arch == "mlp" ? Int(metadata, HiddenKey, source) : 0;
        string betaText = metadata.GetValueOrDefault(BetaKey, "1");
        if (!double.TryParse(betaText, NumberStyles.Float, CultureInfo.InvariantCulture, out double beta) || !(beta >= 0) || !double.IsFinite(beta))
            throw new InvalidDataException($"{source} has {BetaKey} '{betaText}'; expected a number ≥ 0");
        return new VaeRecipe(arch, latent, hidden, beta);
    }

    private static int Int(IReadOnlyDictionary<string, string> metadata, string key, string source)
    {
        string text = metadata.GetValueOrDefault(key, "");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= 1 ? value
            : throw new InvalidDataException($"{source} has {key} '{text}'; expected a whole number of at least 1");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
