using Nabla.Data;
using Nabla.IO;

namespace Nabla.Tests.Data;

public sealed class ImageFolderTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("nabla-imagefolder-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string Write(string relativePath, PngImage image)
    {
        string path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);   // a relative path under root always has a folder
        Png.Write(path, image);
        return path;
    }

    /// <summary>A w×h gray image filled with <paramref name="value"/>.</summary>
    static PngImage Gray(byte value, int w = 3, int h = 2) => new(w, h, 1, Enumerable.Repeat(value, w * h).ToArray());

    [Fact]
    public void Load_SortsClassesAndFilesAndLabelsEachImage()
    {
        Write("dog/b.png", Gray(30));
        Write("cat/2.png", Gray(20));
        Write("cat/1.png", Gray(10));
        Write("dog/a.PNG", Gray(40));
        Write("dog/notes.txt.png.bak", Gray(99));   // not .png: ignored
        File.WriteAllText(Path.Combine(root, "dog", "readme.txt"), "ignored");
        Write("stray.png", Gray(77));                // not in a class folder: ignored

        var folder = new ImageFolder(root, grayscale: true);

        Assert.Equal(["cat", "dog"], folder.Classes);
        Assert.Equal(1, folder.ClassToIndex["dog"]);
        Assert.Equal(["1.png", "2.png", "a.PNG", "b.png"], folder.Samples.Select(s => Path.GetFileName(s.Path)));
        Assert.Equal(4, folder.Count);
        Assert.Equal([4, 1, 2, 3], folder.Tensors.Inputs.Shape);
        Assert.Equal([0L, 0, 1, 1], folder.Tensors.Targets.ToArray<long>());
        var pixels = folder.Tensors.Inputs.ToArray<float>();
        Assert.Equal([10 / 255f, 20 / 255f, 40 / 255f, 30 / 255f], [pixels[0], pixels[6], pixels[12], pixels[18]]);
        var (input, target) = folder.Get(3);
        Assert.Equal([1, 2, 3], input.Shape);
        Assert.Equal(1L, target.Item<long>());
    }

    [Fact]
    public void Load_Rgb_ConvertsGrayAndDropsAlpha()
    {
        Write("a/x.png", new PngImage(1, 1, 4, [10, 20, 30, 0]));
        Write("b/y.png", Gray(50, 1, 1));
        var folder = new ImageFolder(root);
        Assert.Equal([2, 3, 1, 1], folder.Tensors.Inputs.Shape);
        Assert.Equal(new[] { 10f, 20, 30, 50, 50, 50 }.Select(v => v / 255), folder.Tensors.Inputs.ToArray<float>());
    }

    [Fact]
    public void Load_SearchesClassFoldersRecursively()
    {
        Write("a/deep/er/x.png", Gray(1));
        Write("a/y.png", Gray(2));
        Assert.Equal(2, new ImageFolder(root, grayscale: true).Count);
    }

    [Fact]
    public void Load_WithSize_ResizesEveryImage()
    {
        Write("a/big.png", Gray(200, w: 8, h: 6));
        Write("a/small.png", Gray(100, w: 2, h: 2));
        var folder = new ImageFolder(root, grayscale: true, size: (4, 5));
        Assert.Equal([2, 1, 4, 5], folder.Tensors.Inputs.Shape);
        var values = folder.Tensors.Inputs.ToArray<float>();
        Assert.All(values[..20], v => Assert.Equal(200 / 255f, v, 5));   // a constant image stays constant
        Assert.All(values[20..], v => Assert.Equal(100 / 255f, v, 5));
    }

    [Fact]
    public void Load_MixedSizesWithoutSize_NamesBothFiles()
    {
        string first = Write("a/1.png", Gray(1, w: 3, h: 2));
        string odd = Write("b/1.png", Gray(1, w: 4, h: 2));
        Assert.Equal($"imagefolder: images differ in size: {odd} is 4×2 but {first} is 3×2; pass a size to resize every image to one size",
            Assert.Throws<InvalidDataException>(() => new ImageFolder(root)).Message);
    }

    [Fact]
    public void Load_MissingRoot_Throws()
    {
        string missing = Path.Combine(root, "nope");
        Assert.Equal($"imagefolder: folder '{missing}' does not exist",
            Assert.Throws<DirectoryNotFoundException>(() => new ImageFolder(missing)).Message);
    }

    [Fact]
    public void Load_EmptyRoot_SaysThereAreNoClassFolders()
    {
        File.WriteAllText(Path.Combine(root, "x.png"), "not a class");
        Assert.StartsWith($"imagefolder: '{root}' has no class folders; expected one sub-folder per class",
            Assert.Throws<InvalidDataException>(() => new ImageFolder(root)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClassWithoutImages_NamesTheFolder()
    {
        Write("a/x.png", Gray(1));
        Directory.CreateDirectory(Path.Combine(root, "b"));
        File.WriteAllText(Path.Combine(root, "b", "x.jpg"), "");
        Assert.Equal($"imagefolder: class folder '{Path.Combine(root, "b")}' has no .png images; every class needs at least one",
            Assert.Throws<InvalidDataException>(() => new ImageFolder(root)).Message);
    }

    [Fact]
    public void Load_UndecodableFile_NamesTheFirstBadFile()
    {
        Write("a/good.png", Gray(1));
        string bad = Path.Combine(root, "a", "h-bad.png");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        File.WriteAllBytes(Path.Combine(root, "a", "z-bad.png"), []);
        var message = Assert.Throws<InvalidDataException>(() => new ImageFolder(root)).Message;
        Assert.StartsWith($"png: {bad}: does not start with the PNG signature", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensors_FeedADataLoader()
    {
        for (int i = 0; i < 5; i++) Write($"c{i % 2}/{i}.png", Gray((byte)i));
        var batches = new DataLoader(new ImageFolder(root, grayscale: true).Tensors, 2).ToList();
        Assert.Equal(3, batches.Count);
        Assert.Equal([2, 1, 2, 3], batches[0].Input.Shape);
    }
}
