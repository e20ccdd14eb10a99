using System.Globalization;

namespace Nabla.Cli.Training;

/// <summary>metrics.csv: a row every few steps with the recent training loss, and a row per epoch with the test
/// loss and accuracy; flushed as it goes, so a stopped run keeps what it measured.</summary>
/// <remarks>Columns: epoch, step, train_loss, test_loss, test_accuracy (a fraction), lr, seconds. Step rows leave the
/// test columns empty; epoch rows give the epoch's mean training loss.</remarks>
internal sealed class MetricsLog : IDisposable
{
    /// <summary>The header row.</summary>
    public const string Header = "epoch,step,train_loss,test_loss,test_accuracy,lr,seconds";

    private readonly StreamWriter writer;

    /// <summary>Creates (or replaces) the file and writes the header.</summary>
    public MetricsLog(string path)
    {
        writer = new StreamWriter(path, append: false) { AutoFlush = true, NewLine = "\n" };
        writer.WriteLine(Header);
    }

    /// <summary>Training loss averaged over the steps since the last step row.</summary>
    public void Step(int epoch, long step, double trainLoss, double lr, double seconds) =>
        writer.WriteLine(Row(epoch, step, F(trainLoss), "", "", F(lr), F(seconds)));

    /// <summary>An epoch's summary.</summary>
    public void Epoch(EpochResult r) =>
        writer.WriteLine(Row(r.Epoch, r.Step, F(r.TrainLoss), F(r.TestLoss), F(r.TestAccuracy), F(r.LearningRate), F(r.Seconds)));

    /// <inheritdoc/>
    public void Dispose() => writer.Dispose();

    private static string Row(int epoch, long step, string trainLoss, string testLoss, string testAccuracy, string lr, string seconds) =>
        string.Join(',', epoch.ToString(CultureInfo.InvariantCulture), step.ToString(CultureInfo.InvariantCulture), trainLoss, testLoss, testAccuracy, lr, seconds);

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
