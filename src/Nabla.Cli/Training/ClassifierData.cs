using Nabla.Cli.Data;
using Nabla.Data;
using Nabla.Data.Transforms;

namespace Nabla.Cli.Training;

/// <summary>What a classifier run trains and tests on: the two splits, names for messages and plots, and the normalization
/// (x − mean)/std the inputs went through, so misclassified samples can be drawn as images again.</summary>
/// <param name="Train">Inputs [N, C, H, W] and int64 labels.</param>
/// <param name="Test">The test split, the same shapes.</param>
/// <param name="Name">Names the data on plots: "MNIST", "speech digits".</param>
/// <param name="Source">Where it came from, for the run's summary line (a folder).</param>
/// <param name="Samples">What one sample is, plural: "images", "utterances".</param>
/// <param name="Mean">The mean subtracted from inputs in [0, 1].</param>
/// <param name="Std">The standard deviation they were then divided by.</param>
/// <param name="Augmentation">The training batches' transform under <c>--augment</c>; null: <see cref="Training.Augmentation"/>'s
/// rotations and shifts of images.</param>
internal sealed record ClassifierData(TensorDataset Train, TensorDataset Test, string Name, string Source, string Samples, float Mean, float Std,
    Transform? Augmentation = null)
{
    /// <summary>The four MNIST-format IDX files in the settings' data folder, fetched first when that is allowed.</summary>
    public static ClassifierData Mnist(TrainSettings settings, TextWriter log)
    {
        MnistSource.Ensure(settings.DataDirectory, settings.FetchIfMissing, log);
        string name = settings.FetchIfMissing ? "MNIST" : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.DataDirectory)));
        return new ClassifierData(MnistDataset.Load(settings.DataDirectory, train: true), MnistDataset.Load(settings.DataDirectory, train: false),
            name, settings.DataDirectory, "images", MnistDataset.Mean, MnistDataset.Std);
    }
}
