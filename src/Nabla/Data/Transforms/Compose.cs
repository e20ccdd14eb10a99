using Nabla.Tensors;

namespace Nabla.Data.Transforms;

/// <summary>Applies transforms one after another (<c>torchvision.transforms.Compose</c>).</summary>
/// <remarks>A batch passes through each transform in turn, so each transform's random draws for the whole batch come
/// from the generator before the next transform's.</remarks>
public sealed class Compose : Transform
{
    private readonly Transform[] transforms;

    /// <summary>Chains <paramref name="transforms"/>, applied first to last.</summary>
    public Compose(params Transform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        foreach (var t in transforms) ArgumentNullException.ThrowIfNull(t, nameof(transforms));
        this.transforms = [.. transforms];
    }

    /// <summary>The transforms, in the order applied.</summary>
    public IReadOnlyList<Transform> Transforms => transforms;

    /// <inheritdoc/>
    public override Tensor Apply(Tensor images, Generator? generator = null)
    {
        CheckImages(images);
        var g = generator ?? Generator.Default;
        foreach (var t in transforms) images = t.Apply(images, g);
        return images;
    }

    /// <inheritdoc/>
    protected internal override bool IsRandom => transforms.Any(t => t.IsRandom);

    /// <inheritdoc/>
    protected internal override (int Height, int Width) OutputSize(int channels, int height, int width)
    {
        foreach (var t in transforms) (height, width) = t.OutputSize(channels, height, width);
        return (height, width);
    }

    /// <inheritdoc/>
    /// <remarks>Used only when a Compose is nested in a transform that works image by image; each step gets a scratch image.</remarks>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        float[] current = image.ToArray();
        foreach (var t in transforms)
        {
            var (h, w) = t.OutputSize(channels, height, width);
            var next = new float[channels * h * w];
            t.ApplyImage(current, next, channels, height, width, generator);
            (current, height, width) = (next, h, w);
        }
        current.CopyTo(result);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Compose({string.Join(", ", transforms.Select(t => t.ToString()))})";
}
