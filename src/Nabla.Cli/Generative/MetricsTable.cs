using System.Globalization;

namespace Nabla.Cli.Generative;

/// <summary>A metrics.csv with the columns epoch, step and a run kind's own values, flushed row by row so a stopped run
/// keeps what it measured; an empty cell is a value not measured in that row (NaN when read).</summary>
internal sealed class MetricsTable : IDisposable
{
    private readonly StreamWriter writer;
    private readonly int values;

    /// <summary>Creates (or replaces) the file with the header "epoch,step,<paramref name="columns"/>"; or, with
    /// <paramref name="append"/>, adds rows to the file a resumed run trimmed with <see cref="KeepUpTo"/>.</summary>
    public MetricsTable(string path, IReadOnlyList<string> columns, bool append = false)
    {
        values = columns.Count;
        writer = new StreamWriter(path, append) { AutoFlush = true, NewLine = "\n" };
        if (!append) writer.WriteLine(Header(columns));
    }

    /// <summary>"epoch,step,a,b,…".</summary>
    public static string Header(IReadOnlyList<string> columns) => string.Join(',', ["epoch", "step", .. columns]);

    /// <summary>Writes one row; NaN values are left empty.</summary>
    public void Row(int epoch, long step, params ReadOnlySpan<double> row)
    {
        if (row.Length != values) throw new ArgumentException($"MetricsTable: a row needs {values} values; got {row.Length}", nameof(row));
        var cells = new string[row.Length + 2];
        cells[0] = epoch.ToString(CultureInfo.InvariantCulture);
        cells[1] = step.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < row.Length; i++) cells[i + 2] = double.IsNaN(row[i]) ? "" : row[i].ToString("G6", CultureInfo.InvariantCulture);
        writer.WriteLine(string.Join(',', cells));
    }

    /// <inheritdoc/>
    public void Dispose() => writer.Dispose();

    /// <summary>Every row of the file: epoch, step and the values (NaN where empty).</summary>
    /// <exception cref="InvalidDataException">The header is not <paramref name="columns"/>' or a row is malformed.</exception>
    public static List<MetricsRow> Read(string path, IReadOnlyList<string> columns)
    {
        string header = Header(columns);
        string[] lines = File.Exists(path) ? File.ReadAllLines(path) : [header];
        if (lines.Length == 0 || lines[0] != header)
            throw new InvalidDataException($"{path} does not start with the header '{header}'");
        var rows = new List<MetricsRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] c = lines[i].Split(',');
            if (c.Length != columns.Count + 2 || !int.TryParse(c[0], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
                || !long.TryParse(c[1], NumberStyles.None, CultureInfo.InvariantCulture, out long step))
                throw new InvalidDataException($"{path} line {i + 1} is '{lines[i]}'; expected {columns.Count + 2} values: {header}");
            var row = new double[columns.Count];
            for (int k = 0; k < row.Length; k++)
                row[k] = c[k + 2].Length == 0 ? double.NaN
                    : double.TryParse(c[k + 2], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                    : throw new InvalidDataException($"{path} line {i + 1} holds '{c[k + 2]}' where a number belongs");
            rows.Add(new MetricsRow(epoch, step, row));
        }
        return rows;
    }

    /// <summary>For a resumed run: keeps the header and the rows up to <paramref name="step"/> (its checkpoint's), dropping
    /// those a stopped run wrote after it, which the resumed run writes again.</summary>
    public static void KeepUpTo(string path, IReadOnlyList<string> columns, long step)
    {
        var kept = Read(path, columns).Where(r => r.Step <= step).ToList();
        using (var table = new MetricsTable(path + ".tmp", columns))
            foreach (var r in kept) table.Row(r.Epoch, r.Step, r.Values);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
