using System.Globalization;

namespace Nabla.Cli.Lab;

/// <summary>Number formats of the reports: invariant culture, so a report reads the same on every machine.</summary>
internal static class LabFormat
{
    /// <summary><paramref name="value"/> with <paramref name="digits"/> decimals: "0.123".</summary>
    public static string F(double value, int digits = 3) => value.ToString("F" + digits, CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage with <paramref name="digits"/> decimals: 0.9876 → "98.76%".</summary>
    public static string Percent(double fraction, int digits = 2) => (fraction * 100).ToString("F" + digits, CultureInfo.InvariantCulture) + "%";

    /// <summary>Scientific notation with three significant digits: "1.23e-05".</summary>
    public static string Sci(double value) => value.ToString("0.00e+00", CultureInfo.InvariantCulture);

    /// <summary>Three significant digits, fixed or scientific as suits the magnitude.</summary>
    public static string G(double value) =>
        value != 0 && (Math.Abs(value) < 1e-3 || Math.Abs(value) >= 1e6) ? Sci(value) : value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A whole number with thousands separators: "1,234,567".</summary>
    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Seconds, as "12.3 s" or "4 min 05 s".</summary>
    public static string Seconds(double seconds) =>
        seconds < 120 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {(int)(seconds % 60):D2} s");
}
