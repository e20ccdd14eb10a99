using Nabla.Data;
using Nabla.IO;

namespace Nabla.Cli.Tests;

/// <summary>A temporary folder with a small MNIST-format data set of two trivially separable patterns:
/// digit 0 inks the left half of the image, digit 1 the right half, each pixel jittered.</summary>
internal sealed class TinyMnist : IDisposable
{
    public TinyMnist(int train = 200, int test = 100)
    {
        Directory.CreateDirectory(Path);
        var random = new Random(11);
        Write(Mnist.TrainImagesFile, Mnist.TrainLabelsFile, train, random);
        Write(Mnist.TestImagesFile, Mnist.TestLabelsFile, test, random);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nabla-cli-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }   // a leftover temp folder is harmless
    }

    private void Write(string imagesFile, string labelsFile, int count, Random random)
    {
        const int Side = 28;
        var images = new byte[count * Side * Side];
        var labels = new byte[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = (byte)(n % 2);
            for (int r = 0; r < Side; r++)
                for (int c = 0; c < Side; c++)
                {
                    bool ink = labels[n] == 0 ? c < Side / 2 : c >= Side / 2;
                    images[(n * Side + r) * Side + c] = (byte)(ink ? 200 + random.Next(56) : random.Next(40));
                }
        }
        Idx.WriteUBytes(System.IO.Path.Combine(Path, imagesFile), [count, Side, Side], images);
        Idx.WriteUBytes(System.IO.Path.Combine(Path, labelsFile), [count], labels);
    }
}
