namespace Nabla.Cli.Lab;

/// <summary>What an experiment's measurements say about its claim.</summary>
internal enum Verdict
{
    /// <summary>The measurements agree with the claim.</summary>
    Supported,

    /// <summary>The measurements contradict the claim.</summary>
    NotSupported,

    /// <summary>The measurements do not decide (too small a difference, too short a run).</summary>
    Inconclusive,
}

/// <summary>How verdicts are written in reports.</summary>
internal static class VerdictText
{
    /// <summary>"supported", "not supported" or "inconclusive".</summary>
    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Supported => "supported",
        Verdict.NotSupported => "not supported",
        _ => "inconclusive",
    };

    /// <summary>Reads <see cref="Of"/>'s text back.</summary>
    public static Verdict Parse(string text) => text switch
    {
        "supported" => Verdict.Supported,
        "not supported" => Verdict.NotSupported,
        "inconclusive" => Verdict.Inconclusive,
        _ => throw new FormatException($"lab: unknown verdict '{text}'; expected supported, not supported or inconclusive"),
    };

    /// <summary>Supported when <paramref name="holds"/>, not supported when <paramref name="fails"/>, else inconclusive:
    /// the usual shape of a verdict with a margin between the two.</summary>
    public static Verdict From(bool holds, bool fails) => holds ? Verdict.Supported : fails ? Verdict.NotSupported : Verdict.Inconclusive;
}
