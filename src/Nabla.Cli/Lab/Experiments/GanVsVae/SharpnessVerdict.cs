using System.Globalization;

namespace Nabla.Cli.Lab.Experiments.GanVsVae;

/// <summary>The verdict on "GANs give sharper images than VAEs", from the images' Laplacian variance and the Fréchet
/// distance of each model.</summary>
internal static class SharpnessVerdict
{
    /// <summary>The relative margin: a GAN must be closer to the real images' sharpness, and have a lower Fréchet distance,
    /// than the VAE by at least this fraction of the VAE's figure.</summary>
    public const double Margin = 0.1;

    /// <summary>One model's measurements.</summary>
    /// <param name="Sharpness">Mean Laplacian variance of its images.</param>
    /// <param name="Frechet">Fréchet distance of its images' classifier features to the test images'.</param>
    public sealed record Scores(double Sharpness, double Frechet);

    /// <summary>Supported when every GAN's sharpness gap |L_GAN − L_real| is at most (1 − <see cref="Margin"/>)·|L_VAE −
    /// L_real| and its Fréchet distance at most (1 − <see cref="Margin"/>)·FD_VAE; not supported when the GANs' mean
    /// sharpness gap is no smaller than the VAE's (they are not sharper in the sense that matters, closer to real images);
    /// otherwise inconclusive: sharper but not closer in distribution, or sharper and closer on average but not each GAN
    /// by the margin.</summary>
    public static (Verdict Verdict, string Reason) Judge(double realSharpness, Scores vae, IReadOnlyList<Scores> gans)
    {
        ArgumentOutOfRangeException.ThrowIfZero(gans.Count);
        double vaeGap = Math.Abs(vae.Sharpness - realSharpness);
        var gaps = gans.Select(g => Math.Abs(g.Sharpness - realSharpness)).ToArray();
        bool holds = gans.All(g => Math.Abs(g.Sharpness - realSharpness) <= (1 - Margin) * vaeGap && g.Frechet <= (1 - Margin) * vae.Frechet);
        double meanGap = gaps.Average(), meanFrechet = gans.Average(g => g.Frechet), meanSharpness = gans.Average(g => g.Sharpness);
        bool fails = meanGap >= vaeGap;
        string gan = gans.Count == 1 ? "the GAN" : $"the {gans.Count} GANs (mean)";
        string reason = Invariant($"Laplacian variance: real images {realSharpness:G4}, {gan} {meanSharpness:G4}, VAE {vae.Sharpness:G4}; Fréchet distance: {gan} {meanFrechet:F1}, VAE {vae.Frechet:F1}.")
            + (holds ? (gans.Count == 1 ? " The GAN is both closer to the real images' sharpness and closer in distribution, each by more than the margin."
                    : " Every GAN is both closer to the real images' sharpness and closer in distribution, each by more than the margin.")
                : fails ? " The GANs are no closer than the VAE to the real images' sharpness on average."
                : meanFrechet >= (1 - Margin) * vae.Frechet ? " The GANs are closer to the real images' sharpness but not, by the margin, in distribution (Fréchet distance)."
                : " The GANs win on average but not each one by the margin.");
        return (VerdictText.From(holds, fails), reason);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
