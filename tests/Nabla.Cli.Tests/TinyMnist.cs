using Nabla.Data;
using Nabla.IO;

namespace Nabla.Cli.Tests;

/// <summary>A temporary folder with a small MNIST-format data set of trivially separable patterns: class k inks the k-th
/// of <c>classes</c> vertical bands of the image (with two classes, 0 the left half and 1 the right half), each pixel
/// jittered; labels cycle 0, 1, …, classes − 1.</summary>
internal sealed class TinyMnist : IDisposable
{
    public const int Side = 28;

    public TinyMnist(int train = 200, int test = 100, int classes = 2)
    {
        Classes = classes;
        Directory.CreateDirectory(Path);
        var random = new Random(11);
        Write(Mnist.TrainImagesFile, Mnist.TrainLabelsFile, train, random);
        Write(Mnist.TestImagesFile, Mnist.TestLabelsFile, test, random);
    }

    public int Classes { get; }

    /// <summary>Whether pixel column <paramref name="column"/> is inked for class <paramref name="label"/>.</summary>
    public static bool Inked(int label, int column, int classes) => column * classes / Side == label;

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nabla-cli-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }   // a leftover temp folder is harmless
    }

    private void Write(string imagesFile, string labelsFile, int count, Random random)
    {
        var images = new byte[count * Side * Side];
        var labels = new byte[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = (byte)(n % Classes);
            for (int r = 0; r < Side; r++)
                for (int c = 0; c < Side; c++)
                {
                    bool ink = Inked(labels[n], c, Classes);
                    images[(n * Side + r) * Side + c] = (byte)(ink ? 200 + random.Next(56) : random.Next(40));
                }
        }
        Idx.WriteUBytes(System.IO.Path.Combine(Path, imagesFile), [count, Side, Side], images);
        Idx.WriteUBytes(System.IO.Path.Combine(Path, labelsFile), [count], labels);
    }
}
