using System.Globalization;

namespace Nabla.Cli.Sequence;

/// <summary>A CSV file written row by row and flushed as it goes, so a stopped run keeps what it measured. Numbers are
/// written with the invariant culture; an empty cell is written for a null value.</summary>
internal sealed class CsvLog : IDisposable
{
    private readonly StreamWriter writer;
    private readonly int columns;

    /// <summary>Creates (or replaces) <paramref name="path"/> with the header row.</summary>
    public CsvLog(string path, params string[] header)
    {
        writer = new StreamWriter(path, append: false) { AutoFlush = true, NewLine = "\n" };
        columns = header.Length;
        writer.WriteLine(string.Join(',', header));
    }

    /// <summary>Writes one row; it must have as many cells as the header.</summary>
    public void Row(params object?[] cells)
    {
        if (cells.Length != columns) throw new ArgumentException($"CsvLog: a row of {cells.Length} cells for {columns} columns.", nameof(cells));
        writer.WriteLine(string.Join(',', cells.Select(Format)));
    }

    private static string Format(object? cell) => cell switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        string s when s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) => $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
        _ => cell.ToString() ?? "",
    };

    /// <inheritdoc/>
    public void Dispose() => writer.Dispose();
}
