using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Data.Transforms;

/// <summary>y[c] = (x[c] − mean[c]) / std[c] per channel (<c>torchvision.transforms.Normalize</c>).</summary>
/// <remarks>One mean and std apply to every channel; otherwise there is one per channel. MNIST: <c>new Normalize([0.1307f], [0.3081f])</c>.</remarks>
public sealed class Normalize : Transform
{
    private readonly float[] mean, std;

    /// <summary>Normalizes with per-channel <paramref name="mean"/> and <paramref name="std"/> (same length, each std ≠ 0).</summary>
    public Normalize(float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"Normalize: mean has {mean.Length} values and std {std.Length}; expected the same number, at least one");
        int zero = Array.FindIndex(std, s => s == 0 || !float.IsFinite(s));
        if (zero >= 0) throw new ArgumentException($"Normalize: std[{zero}] is {std[zero]}; expected a finite non-zero value", nameof(std));
        this.mean = [.. mean];
        this.std = [.. std];
    }

    /// <summary>The per-channel means.</summary>
    public IReadOnlyList<float> Mean => mean;

    /// <summary>The per-channel standard deviations.</summary>
    public IReadOnlyList<float> Std => std;

    /// <inheritdoc/>
    protected internal override (int Height, int Width) OutputSize(int channels, int height, int width)
    {
        if (mean.Length != 1 && mean.Length != channels)
            throw new ArgumentException($"Normalize: has {mean.Length} means and stds but the image has {channels} channels; expected one per channel or a single one");
        return (height, width);
    }

    /// <inheritdoc/>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            int k = mean.Length == 1 ? 0 : c;
            float m = mean[k], s = std[k];
            var dst = result.Slice(c * plane, plane);
            // torchvision's sub_(mean).div_(std): two correctly rounded operations, so the same bits.
            TensorPrimitives.Subtract(image.Slice(c * plane, plane), m, dst);
            TensorPrimitives.Divide(dst, s, dst);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Normalize(mean=[{string.Join(", ", mean)}], std=[{string.Join(", ", std)}])";
}
