using Nabla.Tensors;

namespace Nabla.Data.Transforms;

/// <summary>Resamples the image to a new size with the bilinear (triangle) filter (<c>torchvision.transforms.Resize</c>).</summary>
/// <remarks>With <see cref="Antialias"/> (the default, as torchvision's), a shrinking resize averages every input pixel
/// an output pixel covers, as PIL does; without it, it reads only the two nearest pixels per axis. See <c>Resampler</c>.</remarks>
public sealed class Resize : Transform
{
    private readonly int? shorterEdge;

    /// <summary>Resizes to exactly <paramref name="height"/> × <paramref name="width"/>.</summary>
    public Resize(int height, int width, bool antialias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Height = height;
        Width = width;
        Antialias = antialias;
    }

    /// <summary>Resizes so the shorter side becomes <paramref name="size"/>, keeping the aspect ratio (the longer side
    /// becomes ⌊size · long / short⌋), as torchvision's <c>Resize(int)</c>.</summary>
    public Resize(int size, bool antialias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        shorterEdge = size;
        Antialias = antialias;
    }

    /// <summary>The target height, or null when the shorter side is set.</summary>
    public int? Height { get; }

    /// <summary>The target width, or null when the shorter side is set.</summary>
    public int? Width { get; }

    /// <summary>Whether shrinking averages every covered input pixel.</summary>
    public bool Antialias { get; }

    /// <inheritdoc/>
    protected internal override (int Height, int Width) OutputSize(int channels, int height, int width)
    {
        if (shorterEdge is not int size) return (Height!.Value, Width!.Value);   // one of the two constructors set them
        return height <= width ? (size, (int)((long)size * width / height)) : ((int)((long)size * height / width), size);
    }

    /// <inheritdoc/>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        var (oh, ow) = OutputSize(channels, height, width);
        Resampler.Resize(image, result, channels, height, width, oh, ow, Antialias);
    }

    /// <inheritdoc/>
    public override string ToString() => shorterEdge is int s ? $"Resize({s})" : $"Resize({Height}, {Width})";
}
