using System.Globalization;
using System.Text;

namespace Nabla.Cli.Generative;

/// <summary>How a classifier sees a generator's images: the Fréchet distance between its penultimate-layer features on
/// generated and on test images, the classes it predicts for the generated ones and its confidence.</summary>
/// <param name="FrechetDistance">d² between the Gaussians fitted to the features of the generated and of the test images.</param>
/// <param name="ReferenceDistance">The same distance from as many training images to the test images: what a perfect
/// generator would score, given the sample sizes.</param>
/// <param name="ClassShares">The fraction of generated images assigned to each class.</param>
/// <param name="MeanConfidence">The mean over the generated images of the classifier's top softmax probability.</param>
/// <param name="TestMeanConfidence">The same on the test images.</param>
/// <param name="Generated">Generated images scored.</param>
/// <param name="TestImages">Test images scored.</param>
internal sealed record GeneratorScore(double FrechetDistance, double ReferenceDistance, double[] ClassShares, double MeanConfidence,
    double TestMeanConfidence, int Generated, int TestImages)
{
    /// <summary>The class with the smallest share.</summary>
    public int RarestClass => Array.IndexOf(ClassShares, ClassShares.Min());

    /// <summary>The report <c>nabla evaluate-generator</c> prints; the last line is "fréchet distance: N".</summary>
    public string Report()
    {
        var sb = new StringBuilder();
        sb.Append(Invariant($"  Fréchet distance of CNN penultimate-layer features, {Generated:N0} generated vs {TestImages:N0} test images: {FrechetDistance:F3}\n"));
        sb.Append(Invariant($"  reference: {TestImages:N0} training images vs the test images: {ReferenceDistance:F3}\n"));
        sb.Append("  predicted classes of the generated images:");
        for (int c = 0; c < ClassShares.Length; c++) sb.Append(Invariant($"  {c}: {ClassShares[c] * 100:F1}%"));
        sb.Append('\n');
        sb.Append(Invariant($"  rarest class: {RarestClass} at {ClassShares[RarestClass] * 100:F2}% (uniform: {100.0 / ClassShares.Length:F2}%)\n"));
        sb.Append(Invariant($"  mean confidence (top softmax probability): generated {MeanConfidence:F4}, test images {TestMeanConfidence:F4}\n"));
        sb.Append(Invariant($"fréchet distance: {FrechetDistance:F3}\n"));
        return sb.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
