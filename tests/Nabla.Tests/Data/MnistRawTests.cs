using System.IO.Compression;
using Nabla.Data;
using Nabla.IO;
using Xunit;

namespace Nabla.Tests.Data;

public sealed class MnistRawTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nabla-mnist-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Three 2×2 images whose pixels count up from 10 × image index, labeled 3, 1, 4.</summary>
    void WriteTinySplit(string imagesFile, string labelsFile, byte[]? labels = null)
    {
        byte[] pixels = [10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33];
        Idx.WriteUBytes(Path.Combine(dir, imagesFile), [3, 2, 2], pixels);
        Idx.WriteUBytes(Path.Combine(dir, labelsFile), [labels?.Length ?? 3], labels ?? [3, 1, 4]);
    }

    [Fact]
    public void LoadRaw_Train_ReadsImagesAndLabels()
    {
        WriteTinySplit(Mnist.TrainImagesFile, Mnist.TrainLabelsFile);

        var (images, count, rows, cols, labels) = Mnist.LoadRaw(dir, train: true);

        Assert.Equal(3, count);
        Assert.Equal(2, rows);
        Assert.Equal(2, cols);
        Assert.Equal([10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33], images);
        Assert.Equal([3, 1, 4], labels);
    }

    [Fact]
    public void LoadRaw_Test_ReadsT10kFiles()
    {
        WriteTinySplit(Mnist.TestImagesFile, Mnist.TestLabelsFile, labels: [9, 0, 7]);

        MnistRaw test = Mnist.LoadRaw(dir, train: false);

        Assert.Equal([9, 0, 7], test.Labels);
        Assert.Throws<FileNotFoundException>(() => Mnist.LoadRaw(dir, train: true));
    }

    [Fact]
    public void LoadRaw_AcceptsGzippedFiles()
    {
        WriteTinySplit(Mnist.TrainImagesFile + ".gz", Mnist.TrainLabelsFile + ".gz");

        MnistRaw train = Mnist.LoadRaw(dir, train: true);

        Assert.Equal(3, train.Count);
        Assert.Equal([3, 1, 4], train.Labels);
    }

    [Fact]
    public void LoadRaw_PrefersPlainFileOverGz()
    {
        WriteTinySplit(Mnist.TrainImagesFile, Mnist.TrainLabelsFile);
        File.WriteAllBytes(Path.Combine(dir, Mnist.TrainLabelsFile + ".gz"), [0x1F, 0x8B, 0, 0]);   // broken, never read

        Assert.Equal([3, 1, 4], Mnist.LoadRaw(dir, train: true).Labels);
    }

    [Fact]
    public void LoadRaw_MissingFolder_SaysHowToFetch()
    {
        string missing = Path.Combine(dir, "nowhere");
        var e = Assert.Throws<DirectoryNotFoundException>(() => Mnist.LoadRaw(missing, train: true));
        Assert.Equal($"mnist: folder '{missing}' does not exist. Fetch MNIST with `scripts/fetch-mnist.sh \"{missing}\"` or `nabla demo`.", e.Message);
    }

    [Fact]
    public void LoadRaw_MissingFile_NamesItAndSaysHowToFetch()
    {
        Idx.WriteUBytes(Path.Combine(dir, Mnist.TrainImagesFile), [1, 1, 1], [0]);

        var e = Assert.Throws<FileNotFoundException>(() => Mnist.LoadRaw(dir, train: true));

        Assert.StartsWith($"mnist: '{dir}' has neither train-labels-idx1-ubyte nor train-labels-idx1-ubyte.gz.", e.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/fetch-mnist.sh", e.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(dir, Mnist.TrainLabelsFile), e.FileName);
    }

    [Fact]
    public void LoadRaw_CountMismatch_Throws()
    {
        WriteTinySplit(Mnist.TrainImagesFile, Mnist.TrainLabelsFile, labels: [1, 2]);

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadRaw(dir, train: true));

        Assert.Equal($"mnist: {Path.Combine(dir, Mnist.TrainImagesFile)} holds 3 images but {Path.Combine(dir, Mnist.TrainLabelsFile)} holds 2 labels", e.Message);
    }

    [Fact]
    public void LoadRaw_LabelsAboveNine_AreKeptForDataSetsWithMoreClasses()
    {
        WriteTinySplit(Mnist.TrainImagesFile, Mnist.TrainLabelsFile, labels: [1, 10, 255]);

        var raw = Mnist.LoadRaw(dir, train: true);

        Assert.Equal(new byte[] { 1, 10, 255 }, raw.Labels);
    }

    [Fact]
    public void LoadRaw_ImagesOfWrongRank_Throws()
    {
        Idx.WriteUBytes(Path.Combine(dir, Mnist.TrainImagesFile), [3, 4], new byte[12]);
        Idx.WriteUBytes(Path.Combine(dir, Mnist.TrainLabelsFile), [3], [0, 1, 2]);

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadRaw(dir, train: true));

        Assert.EndsWith("must hold ubyte images [count, rows, cols] but holds 0x08 (ubyte) [3, 4]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadRaw_LabelsOfWrongType_Throws()
    {
        WriteTinySplit(Mnist.TrainImagesFile, "unused");
        Idx.Write(Path.Combine(dir, Mnist.TrainLabelsFile), Idx.Int32, [3], new byte[12]);

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadRaw(dir, train: true));

        Assert.EndsWith("must hold ubyte labels [count] but holds 0x0C (int) [3]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadRaw_CorruptFile_ReportsIdxError()
    {
        WriteTinySplit(Mnist.TrainImagesFile, Mnist.TrainLabelsFile);
        using (var gzip = new GZipStream(File.Create(Path.Combine(dir, Mnist.TrainImagesFile)), CompressionLevel.Fastest))
            gzip.Write([0, 0, 0x08, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2]);

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadRaw(dir, train: true));

        Assert.StartsWith("idx: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("declares 3×2×2 = 12 bytes of data but holds 2 after decompression", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultDirectory_UsesNablaDataWhenSet()
    {
        string? saved = Environment.GetEnvironmentVariable("NABLA_DATA");
        try
        {
            Environment.SetEnvironmentVariable("NABLA_DATA", dir);
            Assert.Equal(Path.Combine(dir, "mnist"), Mnist.DefaultDirectory);
            Environment.SetEnvironmentVariable("NABLA_DATA", null);
            Assert.EndsWith(Path.Combine(".cache", "nabla", "mnist"), Mnist.DefaultDirectory, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NABLA_DATA", saved);
        }
    }
}
