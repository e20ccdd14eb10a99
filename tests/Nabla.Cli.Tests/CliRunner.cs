namespace Nabla.Cli.Tests;

/// <summary>Runs the tool in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = NablaCli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>An exit code and the text written to each stream.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The last non-empty line of standard output.</summary>
    public string LastLine => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    /// <summary>Standard error's lines.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
