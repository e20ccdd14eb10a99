namespace Nabla.Cli.Arguments;

/// <summary>Splits a command's arguments into option values, checked against its <see cref="CommandSpec"/>.</summary>
internal static class ArgumentParser
{
    /// <summary>Reads <c>--name VALUE</c> and <c>--name=VALUE</c> pairs, and switches <c>--name</c> alone; <c>--help</c> or
    /// <c>-h</c> anywhere asks for help.
    /// Other words are the command's operands, in order, when it takes some (<see cref="CommandSpec.Operands"/>).</summary>
    /// <exception cref="UsageException">An unknown or repeated option, a missing value, or a stray word.</exception>
    public static ParsedOptions Parse(CommandSpec command, ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var operands = new List<string>();
        bool help = false;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h") { help = true; continue; }
            if (command.Operands is not null && !IsOptionName(arg)) { operands.Add(arg); continue; }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException(command, $"unexpected argument '{arg}'; expected options of the form --name VALUE");

            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? arg : arg[..eq];
            var spec = command.Find(name)
                ?? throw new UsageException(command, $"unknown option '{name}'; expected one of {string.Join(", ", command.Visible.Select(o => o.Name))}");
            string value;
            if (spec.Flag) value = eq >= 0 ? arg[(eq + 1)..] : "true";
            else if (eq >= 0) value = arg[(eq + 1)..];
            else if (i + 1 < args.Length && !IsOptionName(args[i + 1])) value = args[++i];
            else throw new UsageException(command, $"option {name} needs a value ({spec.ValueName}: {spec.Help})");
            if (!values.TryAdd(name, value))
                throw new UsageException(command, $"option {name} is given twice ('{values[name]}' and '{value}'); expected it once");
        }
        return new ParsedOptions(command, values, help, operands);
    }

    // "-5" may be a value (a negative seed); "--x" and "-h" never are.
    private static bool IsOptionName(string arg) => arg.StartsWith("--", StringComparison.Ordinal) || arg == "-h";
}
