using Nabla.Tensors;

namespace Nabla.Data.Transforms;

/// <summary>Mirrors the image top to bottom, y' = H − 1 − y, with probability <see cref="P"/>
/// (<c>torchvision.transforms.RandomVerticalFlip</c>).</summary>
public sealed class RandomVerticalFlip : Transform
{
    /// <summary>Flips with probability <paramref name="p"/> in [0, 1].</summary>
    public RandomVerticalFlip(double p = 0.5)
    {
        if (!(p is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "RandomVerticalFlip: p must be in [0, 1]");
        P = p;
    }

    /// <summary>The probability of a flip.</summary>
    public double P { get; }

    /// <inheritdoc/>
    protected internal override bool IsRandom => true;

    /// <inheritdoc/>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        bool flip = generator.NextDouble() < P;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                image.Slice((c * height + y) * width, width).CopyTo(result.Slice((c * height + (flip ? height - 1 - y : y)) * width, width));
    }

    /// <inheritdoc/>
    public override string ToString() => $"RandomVerticalFlip(p={P})";
}
