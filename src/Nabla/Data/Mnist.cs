using Nabla.IO;

namespace Nabla.Data;

/// <summary>Loads the MNIST handwritten digits from the four standard IDX files, plain or gzip-compressed.</summary>
/// <remarks>
/// The files are fetched once into <see cref="DefaultDirectory"/> by <c>scripts/fetch-mnist.sh</c> (or <c>nabla demo</c>),
/// which checks each against its SHA-256. Reference: Y. LeCun, C. Cortes, C. Burges, "The MNIST database of handwritten digits".
/// </remarks>
public static class Mnist
{
    /// <summary>The 60000 training images, ubyte [60000, 28, 28].</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";
    /// <summary>The 60000 training labels, ubyte [60000].</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";
    /// <summary>The 10000 test images, ubyte [10000, 28, 28].</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";
    /// <summary>The 10000 test labels, ubyte [10000].</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>Number of classes of MNIST itself: the digits 0–9. Other data sets in its format may have more.</summary>
    public const int ClassCount = 10;

    /// <summary>Where MNIST is kept: $NABLA_DATA/mnist when NABLA_DATA is set, else ~/.cache/nabla/mnist, as the fetch script does.</summary>
    public static string DefaultDirectory
    {
        get
        {
            string? data = Environment.GetEnvironmentVariable("NABLA_DATA");
            return string.IsNullOrEmpty(data)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "nabla", "mnist")
                : Path.Combine(data, "mnist");
        }
    }

    /// <summary>Reads the training (<paramref name="train"/> true) or test split from <paramref name="directory"/>.</summary>
    /// <remarks>Each file may be stored plain or with a ".gz" suffix; the plain file wins when both exist.
    /// The images must be ubyte [N, rows, cols], the labels ubyte [N] with the same N. Any byte is a label, so a data set in
    /// MNIST's format may have up to 256 classes (MNIST's own labels are the digits 0–9).</remarks>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to fetch MNIST.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or images and labels disagree.</exception>
    public static MnistRaw LoadRaw(string directory, bool train)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"mnist: folder '{directory}' does not exist. {FetchHint(directory)}");

        string imagesPath = Find(directory, train ? TrainImagesFile : TestImagesFile);
        string labelsPath = Find(directory, train ? TrainLabelsFile : TestLabelsFile);
        IdxData images = Idx.Read(imagesPath);
        IdxData labels = Idx.Read(labelsPath);

        if (images.TypeCode != Idx.UByte || images.Shape.Length != 3)
            throw new InvalidDataException($"mnist: {imagesPath} must hold ubyte images [count, rows, cols] but holds {Idx.Describe(images.TypeCode)} [{string.Join(", ", images.Shape)}]");
        if (labels.TypeCode != Idx.UByte || labels.Shape.Length != 1)
            throw new InvalidDataException($"mnist: {labelsPath} must hold ubyte labels [count] but holds {Idx.Describe(labels.TypeCode)} [{string.Join(", ", labels.Shape)}]");
        int count = images.Shape[0];
        if (labels.Shape[0] != count)
            throw new InvalidDataException($"mnist: {imagesPath} holds {count} images but {labelsPath} holds {labels.Shape[0]} labels");

        return new MnistRaw(images.AsBytes(), count, images.Shape[1], images.Shape[2], labels.AsBytes());
    }

    static string Find(string directory, string name)
    {
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        string gzip = plain + ".gz";
        if (File.Exists(gzip)) return gzip;
        throw new FileNotFoundException($"mnist: '{directory}' has neither {name} nor {name}.gz. {FetchHint(directory)}", plain);
    }

    static string FetchHint(string directory) =>
        $"Fetch MNIST with `scripts/fetch-mnist.sh \"{directory}\"` or `nabla demo`.";
}
