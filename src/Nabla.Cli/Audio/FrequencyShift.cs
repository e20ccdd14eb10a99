using Nabla.Data.Transforms;
using Nabla.Tensors;

namespace Nabla.Cli.Audio;

/// <summary>Moves each spectrogram image [C, bands, frames] up or down by a random whole number of bands in
/// [−maxShift, maxShift], repeating the edge band into the space left: on a mel axis a shift scales every formant by
/// about the same factor, as a longer or shorter vocal tract does (vocal tract length perturbation).</summary>
/// <param name="maxShift">The largest shift, in bands.</param>
internal sealed class FrequencyShift(int maxShift) : Transform
{
    /// <inheritdoc/>
    protected internal override bool IsRandom => true;

    /// <inheritdoc/>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        int shift = (int)generator.NextInt64(2 * maxShift + 1) - maxShift;
        for (int c = 0; c < channels; c++)
            for (int row = 0; row < height; row++)
            {
                int source = Math.Clamp(row - shift, 0, height - 1);
                image.Slice((c * height + source) * width, width).CopyTo(result.Slice((c * height + row) * width, width));
            }
    }

    /// <inheritdoc/>
    public override string ToString() => $"FrequencyShift(max_shift={maxShift})";
}
