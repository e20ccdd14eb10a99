using Nabla.Data.Transforms;

namespace Nabla.Cli.Training;

/// <summary>The training-set augmentation of <c>--augment</c>: each image rotated by up to ±10° and shifted by up to 10% of
/// its width and height (<see cref="RandomAffine"/>, bilinear), as MNIST tutorials do to fight overfitting.</summary>
internal static class Augmentation
{
    /// <summary>Largest rotation, in degrees.</summary>
    public const double Degrees = 10;

    /// <summary>Largest shift, as a fraction of the width (and of the height).</summary>
    public const double Shift = 0.1;

    /// <summary>The transform for images already normalized by (x − <paramref name="mean"/>) / <paramref name="std"/>: pixels
    /// shifted in from outside the image get the normalized value of a blank (0) pixel, −mean/std.</summary>
    public static Transform Create(float mean, float std) =>
        new RandomAffine(Degrees, translate: (Shift, Shift), interpolation: InterpolationMode.Bilinear, fill: -mean / std);
}
