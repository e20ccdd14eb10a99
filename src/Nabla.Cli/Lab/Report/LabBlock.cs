namespace Nabla.Cli.Lab;

/// <summary>One element of a report, rendered by both the Markdown and the HTML writer.</summary>
internal abstract record LabBlock
{
    private LabBlock() { }

    /// <summary>A section heading.</summary>
    public sealed record Heading(string Value) : LabBlock;

    /// <summary>A paragraph (Markdown's inline `code` and **bold** are kept in both formats).</summary>
    public sealed record Text(string Value) : LabBlock;

    /// <summary>A bulleted list.</summary>
    public sealed record List(IReadOnlyList<string> Items) : LabBlock;

    /// <summary>A table.</summary>
    public sealed record Table(LabTable Value) : LabBlock;

    /// <summary>Preformatted text.</summary>
    public sealed record Code(string Value) : LabBlock;

    /// <summary>A PNG in the experiment's folder, with its caption.</summary>
    public sealed record Image(string File, string Caption) : LabBlock;
}
