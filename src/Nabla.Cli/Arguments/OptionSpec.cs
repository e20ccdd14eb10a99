namespace Nabla.Cli.Arguments;

/// <summary>An option a command accepts, written <c>--name VALUE</c> or <c>--name=VALUE</c>; a switch
/// (<paramref name="Flag"/>) is written <c>--name</c> alone, or <c>--name=true</c> / <c>--name=false</c>.</summary>
/// <param name="Name">The option with its dashes, e.g. "--epochs".</param>
/// <param name="ValueName">What the value is, for usage lines: "N", "X", "DIR".</param>
/// <param name="Help">One line for the help text.</param>
/// <param name="Default">The value used when the option is absent, as shown in help; null when it has none.</param>
/// <param name="Required">Whether the command refuses to run without it.</param>
/// <param name="Hidden">Accepted but left out of help and error hints: options for tests.</param>
/// <param name="Flag">A switch that takes no value: present means on.</param>
internal sealed record OptionSpec(string Name, string ValueName, string Help, string? Default = null, bool Required = false, bool Hidden = false,
    bool Flag = false)
{
    /// <summary>A switch: <c>--name</c> turns it on.</summary>
    public static OptionSpec Switch(string name, string help) => new(name, "", help, Flag: true);

    /// <summary>"--epochs N", or "--batch-norm" for a switch.</summary>
    public string Synopsis => Flag ? Name : $"{Name} {ValueName}";
}
