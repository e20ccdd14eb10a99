namespace Nabla.Cli.Arguments;

/// <summary>A command's name, what it does and the options it takes; help text and error hints are drawn from it.</summary>
/// <param name="Path">The words after <c>nabla</c> that name the command: "demo", "train mlp", "eval".</param>
/// <param name="Summary">One line saying what the command does.</param>
/// <param name="Options">Every option the command accepts.</param>
/// <param name="Operands">How the words that are not options are shown in usage ("IMAGE.png [IMAGE.png ...]"), or
/// null when the command takes none.</param>
internal sealed record CommandSpec(string Path, string Summary, IReadOnlyList<OptionSpec> Options, string? Operands = null)
{
    /// <summary>The sentence that follows every usage error.</summary>
    public string UsageHint => $"Run 'nabla help {Path}' for usage.";

    /// <summary>The option called <paramref name="name"/>, or null.</summary>
    public OptionSpec? Find(string name) => Options.FirstOrDefault(o => o.Name == name);

    /// <summary>The options shown in help and error hints (all but the hidden ones).</summary>
    public IEnumerable<OptionSpec> Visible => Options.Where(o => !o.Hidden);

    /// <summary>The usage text: synopsis, summary and one line per option.</summary>
    public string Usage()
    {
        var options = Visible.ToList();
        var sb = new System.Text.StringBuilder();
        sb.Append("Usage: nabla ").Append(Path);
        foreach (var o in options) sb.Append(o.Required ? $" {o.Synopsis}" : $" [{o.Synopsis}]");
        if (Operands is not null) sb.Append(' ').Append(Operands);
        sb.Append("\n\n").Append(Summary).Append("\n\nOptions:\n");
        int width = options.Count == 0 ? 0 : options.Max(o => o.Synopsis.Length);
        foreach (var o in options)
        {
            string left = o.Synopsis.PadRight(width);
            sb.Append("  ").Append(left).Append("  ").Append(o.Help);
            if (o.Default is not null) sb.Append(" (default: ").Append(o.Default).Append(')');
            sb.Append('\n');
        }
        sb.Append("  ").Append("--help".PadRight(width)).Append("  show this help\n");
        return sb.ToString();
    }
}
