using System.Globalization;

namespace Nabla.Cli.Training;

/// <summary>metrics.csv: a row every few steps with the recent training loss, and a row per epoch with the test
/// loss and accuracy; flushed as it goes, so a stopped run keeps what it measured.</summary>
/// <remarks>Columns: epoch, step, train_loss, train_accuracy, test_loss, test_accuracy (accuracies as fractions), lr,
/// seconds. Step rows leave the accuracy and test columns empty; epoch rows give the epoch's mean training loss and the
/// accuracy on its training batches as it trained.</remarks>
internal sealed class MetricsLog : IDisposable
{
    /// <summary>The header row.</summary>
    public const string Header = "epoch,step,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds";

    private const int Columns = 8;

    private readonly StreamWriter writer;

    /// <summary>Creates (or replaces) the file and writes the header; or, with <paramref name="append"/>, adds rows to
    /// the file a resumed run has (see <see cref="KeepUpTo"/>).</summary>
    public MetricsLog(string path, bool append = false)
    {
        writer = new StreamWriter(path, append) { AutoFlush = true, NewLine = "\n" };
        if (!append) writer.WriteLine(Header);
    }

    /// <summary>For a resumed run: keeps the header and the rows of steps up to <paramref name="step"/> (the checkpoint's),
    /// dropping those a stopped run wrote after its last checkpoint, which the resumed run writes again; returns the
    /// epoch rows kept, their throughput unknown (NaN).</summary>
    /// <exception cref="InvalidDataException">A row is not one this log writes.</exception>
    public static List<EpochResult> KeepUpTo(string path, long step)
    {
        var kept = new List<string> { Header };
        var epochs = new List<EpochResult>();
        string[] lines = File.Exists(path) ? File.ReadAllLines(path) : [Header];
        if (lines.Length == 0 || lines[0] != Header)
            throw new InvalidDataException($"{path} does not start with the header '{Header}'");
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] c = lines[i].Split(',');
            if (c.Length != Columns || !int.TryParse(c[0], NumberStyles.None, CultureInfo.InvariantCulture, out int epoch)
                || !long.TryParse(c[1], NumberStyles.None, CultureInfo.InvariantCulture, out long rowStep))
                throw new InvalidDataException($"{path} line {i + 1} is '{lines[i]}'; expected {Columns} values: {Header}");
            if (rowStep > step) continue;
            kept.Add(lines[i]);
            if (c[5].Length > 0)
                epochs.Add(new EpochResult(epoch, rowStep, Parse(c[2]), Parse(c[3]), Parse(c[4]), Parse(c[5]), Parse(c[6]), double.NaN, Parse(c[7])));
        }
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, string.Join('\n', kept) + "\n");
        File.Move(temporary, path, overwrite: true);
        return epochs;

        double Parse(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new InvalidDataException($"{path} holds '{text}' where a number belongs");
    }

    /// <summary>Training loss averaged over the steps since the last step row.</summary>
    public void Step(int epoch, long step, double trainLoss, double lr, double seconds) =>
        writer.WriteLine(Row(epoch, step, F(trainLoss), "", "", "", F(lr), F(seconds)));

    /// <summary>An epoch's summary.</summary>
    public void Epoch(EpochResult r) =>
        writer.WriteLine(Row(r.Epoch, r.Step, F(r.TrainLoss), F(r.TrainAccuracy), F(r.TestLoss), F(r.TestAccuracy), F(r.LearningRate), F(r.Seconds)));

    /// <inheritdoc/>
    public void Dispose() => writer.Dispose();

    private static string Row(int epoch, long step, params ReadOnlySpan<string> values) =>
        string.Join(',', [epoch.ToString(CultureInfo.InvariantCulture), step.ToString(CultureInfo.InvariantCulture), .. values]);

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
