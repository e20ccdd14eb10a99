using Nabla.Data.Transforms;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>SpecAugment's time mask (Park et al., 2019; <c>torchaudio.transforms.TimeMasking</c> with iid_masks): for each
/// spectrogram image [C, freq, time] of a batch, frames [t₀, t₀ + t) are set to <see cref="Fill"/>, with t uniform in
/// [0, maxWidth] and t₀ uniform in [0, time − t].</summary>
/// <param name="maxWidth">T: the widest mask, in frames.</param>
/// <param name="fill">The masked value: the (normalized) value of silence.</param>
public sealed class TimeMasking(int maxWidth, float fill = 0) : Transform
{
    /// <summary>T.</summary>
    public int MaxWidth { get; } = maxWidth >= 0 ? maxWidth : throw new ArgumentOutOfRangeException(nameof(maxWidth), maxWidth, "TimeMasking: the width must be non-negative.");

    /// <summary>The masked value.</summary>
    public float Fill { get; } = fill;

    /// <inheritdoc/>
    protected internal override bool IsRandom => true;

    /// <inheritdoc/>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        image.CopyTo(result);
        int t = (int)generator.NextInt64(Math.Min(MaxWidth, width) + 1), start = (int)generator.NextInt64(width - t + 1);
        for (int row = 0; row < channels * height; row++) result.Slice(row * width + start, t).Fill(Fill);
    }

    /// <inheritdoc/>
    public override string ToString() => $"TimeMasking(time_mask_param={MaxWidth})";
}
