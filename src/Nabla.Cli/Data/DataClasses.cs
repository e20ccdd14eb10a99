using System.Globalization;
using Nabla.Data;

namespace Nabla.Cli.Data;

/// <summary>The number of classes of an MNIST-format data set, read from its labels: a data set of letters or of three
/// kinds of symbol trains as MNIST's ten digits do.</summary>
internal static class DataClasses
{
    /// <summary>The largest training label + 1, after checking that every test label is below it.</summary>
    /// <param name="train">The training split (labels int64 [N]).</param>
    /// <param name="test">The test split.</param>
    /// <param name="directory">The data folder, for messages.</param>
    /// <exception cref="InvalidDataException">The training labels name fewer than two classes, or a test label names a
    /// class the training set never shows (the model could not learn it).</exception>
    public static int Count(TensorDataset train, TensorDataset test, string directory)
    {
        long[] trainLabels = train.Targets.ToArray<long>();
        if (trainLabels.Length == 0)
            throw new InvalidDataException($"{directory} holds no training images; expected at least one per class");
        int classes = (int)trainLabels.Max() + 1;
        if (classes < 2)
            throw new InvalidDataException($"every training label in {directory} is 0; a classifier needs labels of at least two classes (0, 1, …)");
        long[] testLabels = test.Targets.ToArray<long>();
        int unseen = Array.FindIndex(testLabels, label => label >= classes);
        if (unseen >= 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"test label {testLabels[unseen]} (test image {unseen}) in {directory} is above every training label (0–{classes - 1}); the model cannot learn a class it never sees in training"));
        return classes;
    }

    /// <summary>For <c>nabla eval</c>: fails unless every test label is one of the model's <paramref name="classes"/>.</summary>
    /// <exception cref="InvalidDataException">A label is <paramref name="classes"/> or more.</exception>
    public static void CheckLabels(TensorDataset test, int classes, string directory, string checkpoint)
    {
        long[] labels = test.Targets.ToArray<long>();
        int bad = Array.FindIndex(labels, label => label >= classes);
        if (bad >= 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"test label {labels[bad]} (test image {bad}) in {directory} is not one of the {classes} classes (0–{classes - 1}) that checkpoint {checkpoint} predicts"));
    }
}
