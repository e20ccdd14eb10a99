namespace Nabla.Cli.Lab;

/// <summary>A table of a report: a header row and rows of already formatted cells.</summary>
internal sealed class LabTable
{
    private readonly List<string[]> rows = [];

    /// <summary>A table with these column headers.</summary>
    public LabTable(params string[] headers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(headers.Length);
        Headers = headers;
    }

    /// <summary>The column headers.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The rows, each with one cell per header.</summary>
    public IReadOnlyList<string[]> Rows => rows;

    /// <summary>Appends a row; <paramref name="cells"/> must have one cell per column.</summary>
    public LabTable Row(params string[] cells)
    {
        if (cells.Length != Headers.Count)
            throw new ArgumentException($"LabTable.Row: {cells.Length} cells given for the {Headers.Count} columns {string.Join(", ", Headers)}", nameof(cells));
        rows.Add(cells);
        return this;
    }
}
