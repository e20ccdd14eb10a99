using System.Globalization;

namespace Nabla.Cli.Lab.Experiments.Mel;

/// <summary>The verdict on "linear below about 1 kHz, logarithmic above", from the band-width exponents b of
/// <see cref="BandSpacing.WidthExponent"/> (Δf ∝ f^b): b = 0 is linear, b = 1 logarithmic.</summary>
internal static class MelVerdict
{
    /// <summary>b below 1 kHz must be at most this (closer to linear than to logarithmic by a margin), and b above 1 kHz
    /// at least 1 minus it.</summary>
    public const double Bound = 0.4;

    /// <summary>One scale's two exponents.</summary>
    /// <param name="Scale">"HTK" or "Slaney".</param>
    /// <param name="Below">b over band midpoints in [100 Hz, 1 kHz).</param>
    /// <param name="Above">b over band midpoints in [1 kHz, f_max).</param>
    public sealed record Exponents(string Scale, double Below, double Above);

    /// <summary>Supported when every scale has b below 1 kHz ≤ <see cref="Bound"/> and b above ≥ 1 − <see cref="Bound"/>;
    /// not supported when some scale has b below ≥ 1 − <see cref="Bound"/> or b above ≤ <see cref="Bound"/> (the wrong
    /// shape on a side); otherwise inconclusive.</summary>
    public static (Verdict Verdict, string Reason) Judge(IReadOnlyList<Exponents> scales)
    {
        ArgumentOutOfRangeException.ThrowIfZero(scales.Count);
        bool holds = scales.All(s => s.Below <= Bound && s.Above >= 1 - Bound);
        bool fails = scales.Any(s => !(s.Below < 1 - Bound) || !(s.Above > Bound));   // NaN counts as failing
        string measured = string.Join("; ", scales.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Scale}: band width ∝ f^{s.Below:F2} below 1 kHz and f^{s.Above:F2} above")));
        string rule = holds ? "each scale is closer to linear (exponent 0) below 1 kHz and to logarithmic (exponent 1) above it, by the margin"
            : fails ? "a scale has the wrong shape on one side of 1 kHz"
            : "a scale is between linear and logarithmic on one side of 1 kHz";
        return (VerdictText.From(holds, fails), $"{measured}: {rule}.");
    }
}
