using System.Globalization;

namespace Nabla.Cli.Lab.Experiments.Vae;

/// <summary>The verdict of the β sweep: does raising β lower the KL term and raise the reconstruction error, step by
/// step?</summary>
internal static class BetaTradeoff
{
    /// <summary>Nats by which each end of the sweep must differ from the other, in both terms, for the trend to count:
    /// well above the noise of a one-z-per-image estimate over the test set.</summary>
    public const double MinimumChange = 1.0;

    /// <summary>One β of the sweep, measured on the test set.</summary>
    /// <param name="Beta">The KL weight the model trained with.</param>
    /// <param name="Reconstruction">−log p(x | z), nats per image.</param>
    /// <param name="Kl">KL(q(z | x) ‖ N(0, I)), nats per image.</param>
    public sealed record Point(double Beta, double Reconstruction, double Kl);

    /// <summary>Supported when, in order of β, every step lowers the KL and raises the reconstruction error and the ends
    /// differ by at least <see cref="MinimumChange"/> nats in each; not supported when the largest β has no lower KL or no
    /// higher reconstruction error than the smallest; otherwise (the ends agree but a step does not) inconclusive.</summary>
    public static (Verdict Verdict, string Reason) Judge(IReadOnlyList<Point> points)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points.Count, 2);
        var sorted = points.OrderBy(p => p.Beta).ToArray();
        bool klFalls = true, reconstructionRises = true;
        for (int i = 1; i < sorted.Length; i++)
        {
            klFalls &= sorted[i].Kl < sorted[i - 1].Kl;
            reconstructionRises &= sorted[i].Reconstruction > sorted[i - 1].Reconstruction;
        }
        var (first, last) = (sorted[0], sorted[^1]);
        double klDrop = first.Kl - last.Kl, reconstructionRise = last.Reconstruction - first.Reconstruction;
        bool holds = klFalls && reconstructionRises && klDrop >= MinimumChange && reconstructionRise >= MinimumChange;
        bool fails = klDrop <= 0 || reconstructionRise <= 0;
        string ends = Invariant($"from β = {first.Beta:G4} to β = {last.Beta:G4} the KL went {first.Kl:F2} → {last.Kl:F2} nats and the reconstruction error {first.Reconstruction:F2} → {last.Reconstruction:F2} nats");
        string steps = klFalls && reconstructionRises ? "every step of β moved both terms that way"
            : $"{(klFalls ? "" : "the KL did not fall at every step")}{(!klFalls && !reconstructionRises ? " and " : "")}{(reconstructionRises ? "" : "the reconstruction error did not rise at every step")}";
        return (VerdictText.From(holds, fails), $"{char.ToUpperInvariant(ends[0])}{ends[1..]}; {steps}.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
