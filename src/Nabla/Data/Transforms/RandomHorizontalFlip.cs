using Nabla.Tensors;

namespace Nabla.Data.Transforms;

/// <summary>Mirrors the image left to right, x' = W − 1 − x, with probability <see cref="P"/>
/// (<c>torchvision.transforms.RandomHorizontalFlip</c>).</summary>
public sealed class RandomHorizontalFlip : Transform
{
    /// <summary>Flips with probability <paramref name="p"/> in [0, 1].</summary>
    public RandomHorizontalFlip(double p = 0.5)
    {
        if (!(p is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "RandomHorizontalFlip: p must be in [0, 1]");
        P = p;
    }

    /// <summary>The probability of a flip.</summary>
    public double P { get; }

    /// <inheritdoc/>
    protected internal override bool IsRandom => true;

    /// <inheritdoc/>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        image.CopyTo(result);
        if (generator.NextDouble() >= P) return;   // flip when U < p, as torch.rand(1) < p
        for (int row = 0; row < channels * height; row++) result.Slice(row * width, width).Reverse();
    }

    /// <inheritdoc/>
    public override string ToString() => $"RandomHorizontalFlip(p={P})";
}
