using Nabla.Kernels;
using Nabla.Tensors;

namespace Nabla.Data.Transforms;

/// <summary>A transformation of float32 images [C, H, W] and batches of them [N, C, H, W] (<c>torchvision.transforms</c>).</summary>
/// <remarks>
/// A batch is transformed image by image, each drawing its own random parameters. A random transform takes one 64-bit
/// seed per image from the generator, in order, and draws that image's parameters from a stream started at that seed:
/// one seed reproduces the augmentation whatever the number of threads sharing the batch, and an image [C, H, W]
/// transforms as the batch [1, C, H, W] would. Results are new tensors without autograd history.
/// To write a transform, override <see cref="ApplyImage"/>, and <see cref="OutputSize"/> when it changes the size.
/// </remarks>
public abstract class Transform
{
    /// <summary>Elements per batch below which a second thread does not pay for its hand-off.</summary>
    private const long ParallelThreshold = 1 << 16;

    /// <summary>Transforms an image [C, H, W] or a batch [N, C, H, W] of float32 values.</summary>
    /// <param name="images">The image or batch; any layout.</param>
    /// <param name="generator">Where random parameters come from; <see cref="Generator.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The tensor is not float32 [C, H, W] or [N, C, H, W], or the transform does not fit its size.</exception>
    public virtual Tensor Apply(Tensor images, Generator? generator = null)
    {
        var (n, c, h, w) = CheckImages(images);
        var (oh, ow) = OutputSize(c, h, w);
        var result = Tensor.Empty(images.Dim == 4 ? [n, c, oh, ow] : [c, oh, ow]);
        if (n == 0) return result;

        var input = images.ContiguousRaw();
        float[] source = input.Raw<float>(), destination = result.Raw<float>();
        int sourceOffset = input.Offset, destinationOffset = result.Offset;
        int inputSize = c * h * w, outputSize = c * oh * ow;
        ulong[]? seeds = null;
        if (IsRandom)
        {
            var g = generator ?? Generator.Default;
            seeds = new ulong[n];
            for (int i = 0; i < n; i++) seeds[i] = g.NextUInt64();
        }

        void Run(int i, Generator stream)
        {
            if (seeds is not null) stream.ManualSeedThis((long)seeds[i]);
            ApplyImage(source.AsSpan(sourceOffset + i * inputSize, inputSize),
                destination.AsSpan(destinationOffset + i * outputSize, outputSize), c, h, w, stream);
        }

        bool force = KernelOptions.ForceParallel;   // tests: split even small batches
        int threads = Math.Min(force ? Math.Max(KernelOptions.MaxThreads, 2) : KernelOptions.MaxThreads, n);
        if (threads <= 1 || (!force && (long)n * Math.Max(inputSize, outputSize) < ParallelThreshold))
        {
            var stream = new Generator(0);
            for (int i = 0; i < n; i++) Run(i, stream);
        }
        else
        {
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new Generator(0),
                (i, _, stream) => { Run(i, stream); return stream; }, _ => { });
        }
        return result;
    }

    /// <summary>Whether the transform draws random numbers; only then are seeds taken from the generator.</summary>
    protected internal virtual bool IsRandom => false;

    /// <summary>The (height, width) of the result for an input of <paramref name="channels"/> × <paramref name="height"/> ×
    /// <paramref name="width"/>: unchanged unless overridden. Throws when the transform cannot apply to that size.</summary>
    protected internal virtual (int Height, int Width) OutputSize(int channels, int height, int width) => (height, width);

    /// <summary>Transforms one contiguous image [C, H, W] into <paramref name="result"/> [C, H', W'], with (H', W') from
    /// <see cref="OutputSize"/>, drawing any random parameters from <paramref name="generator"/>.</summary>
    protected internal abstract void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator);

    /// <summary>The name errors start with: the class name.</summary>
    protected virtual string Name => GetType().Name;

    /// <summary>(N, C, H, W) of a float32 image or batch with at least one channel, row and column.</summary>
    private protected (int N, int C, int H, int W) CheckImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.DType != DType.Float32 || images.Dim is not (3 or 4) || images.Shape[^1] == 0 || images.Shape[^2] == 0 || images.Shape[^3] == 0)
            throw new ArgumentException($"{Name}: expected a float32 image [C, H, W] or batch [N, C, H, W] with C, H, W ≥ 1, got {images.DType} {ShapeUtil.Format(images.ShapeSpan)}", nameof(images));
        return (images.Dim == 4 ? images.Shape[0] : 1, images.Shape[^3], images.Shape[^2], images.Shape[^1]);
    }
}
