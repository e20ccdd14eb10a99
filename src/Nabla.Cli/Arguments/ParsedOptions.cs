using System.Globalization;

namespace Nabla.Cli.Arguments;

/// <summary>The option values of one command line, read as typed values with checks that name the option on failure.</summary>
internal sealed class ParsedOptions(CommandSpec command, Dictionary<string, string> values, bool helpRequested, IReadOnlyList<string>? operands = null)
{
    /// <summary>The words that are not options, in order (for commands with <see cref="CommandSpec.Operands"/>).</summary>
    public IReadOnlyList<string> Operands { get; } = operands ?? [];

    /// <summary>The command these options belong to.</summary>
    public CommandSpec Command => command;

    /// <summary>Whether <c>--help</c> was given.</summary>
    public bool HelpRequested => helpRequested;

    /// <summary>Whether the option was given.</summary>
    public bool Has(string name) => values.ContainsKey(name);

    /// <summary>These options without <paramref name="name"/>, for a command that reads that option its own way.</summary>
    public ParsedOptions Without(string name) =>
        new(command, values.Where(kv => kv.Key != name).ToDictionary(kv => kv.Key, kv => kv.Value), helpRequested, Operands);

    /// <summary>The raw text, or <paramref name="fallback"/> when absent; an empty value is refused.</summary>
    public string String(string name, string fallback) => values.TryGetValue(name, out var v) ? NonEmpty(name, v) : fallback;

    /// <summary>The raw text, or null when absent; an empty value is refused.</summary>
    public string? OptionalString(string name) => values.TryGetValue(name, out var v) ? NonEmpty(name, v) : null;

    /// <summary>The raw text of a required option.</summary>
    public string RequiredString(string name) =>
        OptionalString(name) ?? throw new UsageException(command, $"option {name} is required ({command.Find(name)?.Help})");

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string name, int fallback, int min = 1, int max = int.MaxValue)
    {
        if (!values.TryGetValue(name, out var v)) return fallback;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw Bad(name, v, max == int.MaxValue ? $"a whole number of at least {min}" : $"a whole number from {min} to {max}");
        return n;
    }

    /// <summary>Any 64-bit whole number.</summary>
    public long Long(string name, long fallback)
    {
        if (!values.TryGetValue(name, out var v)) return fallback;
        if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
            throw Bad(name, v, "a whole number");
        return n;
    }

    /// <summary>A finite number greater than zero, such as 1e-3 or 0.01.</summary>
    public double PositiveDouble(string name, double fallback)
    {
        if (!values.TryGetValue(name, out var v)) return fallback;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x) || x <= 0)
            throw Bad(name, v, "a number greater than 0, such as 1e-3");
        return x;
    }

    /// <summary>A comma-separated list of whole numbers of at least 1, such as "512,256".</summary>
    public int[] IntList(string name, int[] fallback)
    {
        if (!values.TryGetValue(name, out var v)) return fallback;
        var parts = v.Split(',', StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]) || result[i] < 1)
                throw Bad(name, v, "comma-separated whole numbers of at least 1, such as 512,256");
        return result;
    }

    /// <summary>A switch: false when absent, true for <c>--name</c> or <c>--name=true</c>, false for <c>--name=false</c>.</summary>
    public bool Flag(string name)
    {
        if (!values.TryGetValue(name, out var v)) return false;
        return v switch
        {
            "true" => true,
            "false" => false,
            _ => throw Bad(name, v, "no value, or true or false"),
        };
    }

    /// <summary>A finite number of at least zero, such as 0.9 or 5e-4.</summary>
    public double NonNegativeDouble(string name, double fallback)
    {
        if (!values.TryGetValue(name, out var v)) return fallback;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x) || x < 0)
            throw Bad(name, v, "a number of at least 0, such as 0.9 or 5e-4");
        return x;
    }

    /// <summary>One of <paramref name="allowed"/>.</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        if (!values.TryGetValue(name, out var v)) return fallback;
        if (!allowed.Contains(v, StringComparer.Ordinal)) throw Bad(name, v, $"one of {string.Join(", ", allowed)}");
        return v;
    }

    /// <summary>A usage error for <paramref name="name"/> that shows what was given and what was expected.</summary>
    public UsageException Bad(string name, string given, string expected) =>
        new(command, $"{name} got '{given}'; expected {expected}");

    private string NonEmpty(string name, string value) =>
        value.Length > 0 ? value : throw Bad(name, value, $"a non-empty {command.Find(name)?.ValueName ?? "value"}");
}
