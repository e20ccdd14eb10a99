namespace Nabla.Cli.Arguments;

/// <summary>A bad command line: the message names the option, what was given and what was expected.
/// The tool prints it on one line with a usage hint and exits with code 2.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>A usage error of <paramref name="command"/> ("nabla train mlp: …. Run 'nabla help train mlp' for usage.").</summary>
    public UsageException(CommandSpec command, string message)
        : base($"nabla {command.Path}: {message}. {command.UsageHint}") { }

    /// <summary>A usage error before any command was recognised.</summary>
    public UsageException(string message)
        : base($"nabla: {message}. Run 'nabla --help' for usage.") { }
}
