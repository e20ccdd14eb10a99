using System.Globalization;

namespace Nabla.Cli.Sequence.Memory;

/// <summary>metrics.csv of <c>nabla train memory</c>: one row per evaluation of each (model, length) run, flushed row
/// by row: the training loss and accuracy averaged over the steps since the previous row, and the test set's.</summary>
internal sealed class MemoryMetrics : IDisposable
{
    /// <summary>The header.</summary>
    public const string Header = "model,length,step,train_loss,train_accuracy,test_loss,test_accuracy,seconds";

    private readonly StreamWriter writer;

    /// <summary>Creates (or replaces) the file at <paramref name="path"/> and writes the header.</summary>
    public MemoryMetrics(string path)
    {
        writer = new StreamWriter(path, append: false) { AutoFlush = true, NewLine = "\n" };
        writer.WriteLine(Header);
    }

    /// <summary>Writes one row.</summary>
    public void Row(string model, int length, int step, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy, double seconds) =>
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model},{length},{step},{trainLoss:G6},{trainAccuracy:G6},{testLoss:G6},{testAccuracy:G6},{seconds:F3}"));

    /// <inheritdoc/>
    public void Dispose() => writer.Dispose();
}
