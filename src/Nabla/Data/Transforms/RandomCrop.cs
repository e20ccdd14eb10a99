using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Data.Transforms;

/// <summary>Pads the image by <see cref="Padding"/> on every side with <see cref="Fill"/>, then cuts out a
/// <see cref="Size"/> window at a uniformly random position (<c>torchvision.transforms.RandomCrop</c>).</summary>
/// <remarks>For an H × W image padded by p, the window's top row is uniform in [0, H + 2p − h] and its left column in
/// [0, W + 2p − w], drawn in that order, as torchvision does. CIFAR's usual augmentation is <c>RandomCrop(32, padding: 4)</c>.</remarks>
public sealed class RandomCrop : Transform
{
    /// <summary>Crops <paramref name="size"/> (an int for a square) after padding each side by <paramref name="padding"/> with <paramref name="fill"/>.</summary>
    public RandomCrop(Size2 size, int padding = 0, float fill = 0)
    {
        if (size.H < 1 || size.W < 1) throw new ArgumentException($"RandomCrop: size {size} is invalid; expected at least 1", nameof(size));
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Size = size;
        Padding = padding;
        Fill = fill;
    }

    /// <summary>The (height, width) of the window.</summary>
    public Size2 Size { get; }

    /// <summary>Pixels of <see cref="Fill"/> added on each side before cropping.</summary>
    public int Padding { get; }

    /// <summary>The value of padded pixels.</summary>
    public float Fill { get; }

    /// <inheritdoc/>
    protected internal override bool IsRandom => true;

    /// <inheritdoc/>
    protected internal override (int Height, int Width) OutputSize(int channels, int height, int width)
    {
        if (Size.H > height + 2 * Padding || Size.W > width + 2 * Padding)
            throw new ArgumentException($"RandomCrop: window {Size.H}×{Size.W} is larger than the padded image {height + 2 * Padding}×{width + 2 * Padding} ({height}×{width} with padding {Padding})");
        return (Size.H, Size.W);
    }

    /// <inheritdoc/>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        int h = Size.H, w = Size.W;
        int top = (int)generator.NextInt64(height + 2 * Padding - h + 1) - Padding;   // in unpadded coordinates
        int left = (int)generator.NextInt64(width + 2 * Padding - w + 1) - Padding;
        // Columns [from, to) of the window fall inside the image.
        int from = Math.Clamp(-left, 0, w), to = Math.Clamp(width - left, from, w);
        for (int c = 0; c < channels; c++)
            for (int r = 0; r < h; r++)
            {
                var dst = result.Slice((c * h + r) * w, w);
                int y = top + r;
                if (y < 0 || y >= height) { dst.Fill(Fill); continue; }
                dst[..from].Fill(Fill);
                if (to > from) image.Slice((c * height + y) * width + left + from, to - from).CopyTo(dst[from..to]);
                dst[to..].Fill(Fill);
            }
    }

    /// <inheritdoc/>
    public override string ToString() => $"RandomCrop(size={Size}, padding={Padding})";
}
