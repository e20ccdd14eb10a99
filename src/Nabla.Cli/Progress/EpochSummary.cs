using System.Globalization;
using Nabla.Cli.Training;

namespace Nabla.Cli.Progress;

/// <summary>The one-line description of a running or finished epoch, shared by the live and the plain views.</summary>
internal static class EpochSummary
{
    /// <summary>"epoch 2/5  loss 0.1234  41,200 samples/s".</summary>
    public static string Running(int epoch, int epochs, double loss, double samplesPerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{epochs}  loss {loss:F4}  {samplesPerSecond:N0} samples/s");

    /// <summary>"epoch 2/5  train loss 0.1234  train accuracy 96.40%  test loss 0.0912  test accuracy 97.31%  lr 8.5e-04  41,200 samples/s".</summary>
    public static string Done(EpochResult r, int epochs) =>
        string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch}/{epochs}  train loss {r.TrainLoss:F4}  train accuracy {r.TrainAccuracy * 100:F2}%  test loss {r.TestLoss:F4}  test accuracy {r.TestAccuracy * 100:F2}%  lr {r.LearningRate:0.0e+00}  {r.SamplesPerSecond:N0} samples/s");

    /// <summary>"epoch 2/5  loss 0.1234  test 97.31%  41,200 samples/s", short enough to sit beside a progress bar.</summary>
    public static string Compact(EpochResult r, int epochs) =>
        string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch}/{epochs}  loss {r.TrainLoss:F4}  test {r.TestAccuracy * 100:F2}%  {r.SamplesPerSecond:N0} samples/s");
}
