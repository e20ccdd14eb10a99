using System.Runtime.ExceptionServices;
using Nabla.Data.Transforms;
using Nabla.IO;
using Nabla.Kernels;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>Labelled images stored one sub-folder per class, <c>root/CLASS/NAME.png</c>, loaded whole into tensors
/// (<c>torchvision.datasets.ImageFolder</c>): images float32 [N, C, H, W] in [0, 1], labels int64 [N].</summary>
/// <remarks>
/// Classes are the sub-folders' names sorted ordinally, numbered from 0, as torchvision sorts them; each class's
/// .png files (any letter case, searched recursively) are taken in ordinal order of their paths. Other files are ignored.
/// Images become gray (C = 1, PIL's <c>convert("L")</c>) or RGB (C = 3, <c>convert("RGB")</c>, torchvision's default);
/// alpha is dropped. All images must share one size unless a size is given, to which each is resized (bilinear,
/// antialiased). Samples are decoded in parallel; errors report the first failing file in sample order.
/// </remarks>
public sealed class ImageFolder : Dataset<(Tensor Input, Tensor Target)>
{
    /// <summary>Loads every image under <paramref name="root"/>.</summary>
    /// <param name="root">The folder holding one sub-folder per class.</param>
    /// <param name="grayscale">One gray channel instead of three RGB ones.</param>
    /// <param name="size">Resize every image to this (height, width), or an int for a square; null requires one common size.</param>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">There are no class folders, a class has no images, sizes differ without
    /// <paramref name="size"/>, or a file is not a valid PNG (the message names it).</exception>
    public ImageFolder(string root, bool grayscale = false, Size2? size = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (size is { } s && (s.H < 1 || s.W < 1)) throw new ArgumentException($"ImageFolder: size {s} is invalid; expected at least 1", nameof(size));
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"imagefolder: folder '{root}' does not exist");
        Root = root;
        Grayscale = grayscale;

        string[] classes = [.. Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        if (classes.Length == 0)
            throw new InvalidDataException($"imagefolder: '{root}' has no class folders; expected one sub-folder per class holding its .png images, e.g. {Path.Combine(root, "cat", "001.png")}");
        var samples = new List<(string Path, int Label)>();
        for (int label = 0; label < classes.Length; label++)
        {
            string folder = Path.Combine(root, classes[label]);
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                throw new InvalidDataException($"imagefolder: class folder '{folder}' has no .png images; every class needs at least one");
            samples.AddRange(files.Select(f => (f, label)));
        }
        Classes = classes;
        ClassToIndex = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        Samples = samples;
        Tensors = Load(samples, grayscale, size);
    }

    /// <summary>The folder the images came from.</summary>
    public string Root { get; }

    /// <summary>Whether images were loaded as one gray channel (else three RGB channels).</summary>
    public bool Grayscale { get; }

    /// <summary>The class names (sub-folder names) in label order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Each class name's label (<c>class_to_idx</c>).</summary>
    public IReadOnlyDictionary<string, int> ClassToIndex { get; }

    /// <summary>Each sample's file and label, in sample order (<c>samples</c>).</summary>
    public IReadOnlyList<(string Path, int Label)> Samples { get; }

    /// <summary>The samples as tensors, ready for a <see cref="DataLoader"/>: images float32 [N, C, H, W], labels int64 [N].</summary>
    public TensorDataset Tensors { get; }

    /// <inheritdoc/>
    public override int Count => Tensors.Count;

    /// <inheritdoc/>
    public override (Tensor Input, Tensor Target) Get(int index) => Tensors.Get(index);

    private static TensorDataset Load(List<(string Path, int Label)> samples, bool grayscale, Size2? size)
    {
        int n = samples.Count;
        var images = new PngImage[n];
        var errors = new Exception?[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = KernelOptions.MaxThreads }, i =>
        {
            try
            {
                var image = Png.Read(samples[i].Path);
                images[i] = grayscale ? image.ToGrayscale() : image.ToRgb();
            }
#pragma warning disable CA1031 // Caught to be rethrown below: the first failure in sample order, not whichever thread failed first.
            catch (Exception e)
#pragma warning restore CA1031
            {
                errors[i] = e;
            }
        });
        if (Array.Find(errors, e => e is not null) is { } error) ExceptionDispatchInfo.Throw(error);

        int channels = grayscale ? 1 : 3;
        int height = size?.H ?? images[0].Height, width = size?.W ?? images[0].Width;
        if (size is null)
        {
            int odd = Array.FindIndex(images, im => im.Height != height || im.Width != width);
            if (odd >= 0)
                throw new InvalidDataException(
                    $"imagefolder: images differ in size: {samples[odd].Path} is {images[odd].Width}×{images[odd].Height} but {samples[0].Path} is {width}×{height}; pass a size to resize every image to one size");
        }

        var inputs = Tensor.Empty([n, channels, height, width]);
        float[] destination = inputs.Raw<float>();
        int plane = channels * height * width;
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = KernelOptions.MaxThreads }, i =>
        {
            var image = images[i];
            var pixels = image.ToTensor(grayscale).Span<float>();   // [C, h, w] in [0, 1]
            var target = destination.AsSpan(inputs.Offset + i * plane, plane);
            if (image.Height == height && image.Width == width) pixels.CopyTo(target);
            else Resampler.Resize(pixels, target, channels, image.Height, image.Width, height, width, antialias: true);
        });

        var labels = Tensor.Empty([n], DType.Int64);
        var l = labels.Span<long>();
        for (int i = 0; i < n; i++) l[i] = samples[i].Label;
        return new TensorDataset(inputs, labels);
    }
}
