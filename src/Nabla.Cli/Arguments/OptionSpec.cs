namespace Nabla.Cli.Arguments;

/// <summary>An option a command accepts, written <c>--name VALUE</c> or <c>--name=VALUE</c>.</summary>
/// <param name="Name">The option with its dashes, e.g. "--epochs".</param>
/// <param name="ValueName">What the value is, for usage lines: "N", "X", "DIR".</param>
/// <param name="Help">One line for the help text.</param>
/// <param name="Default">The value used when the option is absent, as shown in help; null when it has none.</param>
/// <param name="Required">Whether the command refuses to run without it.</param>
/// <param name="Hidden">Accepted but left out of help and error hints: options for tests.</param>
internal sealed record OptionSpec(string Name, string ValueName, string Help, string? Default = null, bool Required = false, bool Hidden = false);
