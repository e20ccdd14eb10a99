using Nabla.Data.Transforms;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>SpecAugment's frequency mask (Park et al., 2019; <c>torchaudio.transforms.FrequencyMasking</c> with
/// iid_masks): for each spectrogram image [C, freq, time] of a batch, bands [f₀, f₀ + f) are set to <see cref="Fill"/>, with
/// f uniform in [0, maxWidth] and f₀ uniform in [0, freq − f].</summary>
/// <remarks>A data-loader transform for training on spectrogram images; seeded per image like every <see cref="Transform"/>.</remarks>
/// <param name="maxWidth">F: the widest mask, in bands.</param>
/// <param name="fill">The masked value: the (normalized) value of silence.</param>
public sealed class FrequencyMasking(int maxWidth, float fill = 0) : Transform
{
    /// <summary>F.</summary>
    public int MaxWidth { get; } = maxWidth >= 0 ? maxWidth : throw new ArgumentOutOfRangeException(nameof(maxWidth), maxWidth, "FrequencyMasking: the width must be non-negative.");

    /// <summary>The masked value.</summary>
    public float Fill { get; } = fill;

    /// <inheritdoc/>
    protected internal override bool IsRandom => true;

    /// <inheritdoc/>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        image.CopyTo(result);
        int f = (int)generator.NextInt64(Math.Min(MaxWidth, height) + 1), start = (int)generator.NextInt64(height - f + 1);
        for (int c = 0; c < channels; c++) result.Slice((c * height + start) * width, f * width).Fill(Fill);
    }

    /// <inheritdoc/>
    public override string ToString() => $"FrequencyMasking(freq_mask_param={MaxWidth})";
}
