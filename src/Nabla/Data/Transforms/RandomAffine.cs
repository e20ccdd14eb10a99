using Nabla.Tensors;

namespace Nabla.Data.Transforms;

/// <summary>A random affine warp about the image centre: rotation, translation, scale and shear
/// (<c>torchvision.transforms.RandomAffine</c>).</summary>
/// <remarks>
/// Per image, in torchvision's order: the angle is uniform in <see cref="Degrees"/> (clockwise on screen); with
/// <see cref="Translate"/> (a, b), the shift is round(U(−aW, aW)) by round(U(−bH, bH)) pixels; with <see cref="Scale"/>
/// the factor is uniform in it; with a shear range, the x shear (then the y shear) is uniform in it, in degrees.
/// Output pixels read the input through the inverse map (see torchvision's <c>F.affine</c>); pixels that come from
/// outside the image are <see cref="Fill"/>. Apply it before <see cref="Normalize"/>, or set the fill to the
/// normalized background (−mean/std), so the border matches the background.
/// </remarks>
public sealed class RandomAffine : Transform
{
    /// <summary>Rotation by up to ±<paramref name="degrees"/>, with optional translation fractions (of width, of height),
    /// scale range and x shear of up to ±<paramref name="shear"/> degrees.</summary>
    public RandomAffine(double degrees, (double X, double Y)? translate = null, (double Min, double Max)? scale = null, double shear = 0,
        InterpolationMode interpolation = InterpolationMode.Nearest, float fill = 0)
        : this((-Math.Abs(degrees), Math.Abs(degrees)), translate, scale, (-Math.Abs(shear), Math.Abs(shear)), (0, 0), interpolation, fill) { }

    /// <summary>Rotation uniform in <paramref name="degrees"/> (min, max), with optional translation fractions, scale range,
    /// and x and y shear ranges in degrees.</summary>
    public RandomAffine((double Min, double Max) degrees, (double X, double Y)? translate = null, (double Min, double Max)? scale = null,
        (double Min, double Max) shearX = default, (double Min, double Max) shearY = default,
        InterpolationMode interpolation = InterpolationMode.Nearest, float fill = 0)
    {
        CheckRange(degrees, nameof(degrees));
        CheckRange(shearX, nameof(shearX));
        CheckRange(shearY, nameof(shearY));
        if (Math.Max(Math.Abs(shearX.Min), Math.Abs(shearX.Max)) >= 90 || Math.Max(Math.Abs(shearY.Min), Math.Abs(shearY.Max)) >= 90)
            throw new ArgumentOutOfRangeException(nameof(shearX), $"RandomAffine: shears {shearX} and {shearY} must lie within (−90°, 90°)");
        if (translate is { } t && !(t.X is >= 0 and <= 1 && t.Y is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(translate), $"RandomAffine: translate {t} must be fractions in [0, 1]");
        if (scale is { } s && !(s.Min > 0 && s.Min <= s.Max && double.IsFinite(s.Max)))
            throw new ArgumentOutOfRangeException(nameof(scale), $"RandomAffine: scale {s} must be a range 0 < min ≤ max");
        if (!Enum.IsDefined(interpolation)) throw new ArgumentOutOfRangeException(nameof(interpolation));
        Degrees = degrees;
        Translate = translate;
        Scale = scale;
        ShearX = shearX;
        ShearY = shearY;
        Interpolation = interpolation;
        Fill = fill;
    }

    /// <summary>The range of the rotation angle, in degrees, clockwise.</summary>
    public (double Min, double Max) Degrees { get; }

    /// <summary>The largest shift as fractions of the width and the height, or null for none.</summary>
    public (double X, double Y)? Translate { get; }

    /// <summary>The range of the scale factor, or null for 1.</summary>
    public (double Min, double Max)? Scale { get; }

    /// <summary>The range of the shear parallel to the x axis, in degrees.</summary>
    public (double Min, double Max) ShearX { get; }

    /// <summary>The range of the shear parallel to the y axis, in degrees.</summary>
    public (double Min, double Max) ShearY { get; }

    /// <summary>How pixels are read between centres.</summary>
    public InterpolationMode Interpolation { get; }

    /// <summary>The value of pixels mapped from outside the image.</summary>
    public float Fill { get; }

    /// <inheritdoc/>
    protected internal override bool IsRandom => true;

    /// <inheritdoc/>
    protected internal override void ApplyImage(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width, Generator generator)
    {
        double angle = Uniform(generator, Degrees);
        double tx = 0, ty = 0;
        if (Translate is { } t)
        {
            tx = Math.Round(Uniform(generator, (-t.X * width, t.X * width)));
            ty = Math.Round(Uniform(generator, (-t.Y * height, t.Y * height)));
        }
        double scale = Scale is { } s ? Uniform(generator, s) : 1;
        double shearX = IsZero(ShearX) ? 0 : Uniform(generator, ShearX);   // no range, no draw (torchvision's shear=None)
        double shearY = IsZero(ShearY) ? 0 : Uniform(generator, ShearY);
        var m = AffineSampler.InverseMatrix(angle, tx, ty, scale, shearX, shearY);
        AffineSampler.Warp(image, result, channels, height, width, m, Interpolation, Fill);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"RandomAffine(degrees={Degrees}, translate={Translate?.ToString() ?? "None"}, scale={Scale?.ToString() ?? "None"}, shear=({ShearX}, {ShearY}), {Interpolation})";

    private static bool IsZero((double Min, double Max) range) => range.Min == 0 && range.Max == 0;

    private static double Uniform(Generator g, (double Min, double Max) range) => range.Min + (range.Max - range.Min) * g.NextDouble();

    private static void CheckRange((double Min, double Max) range, string name)
    {
        if (!(double.IsFinite(range.Min) && double.IsFinite(range.Max) && range.Min <= range.Max))
            throw new ArgumentOutOfRangeException(name, $"RandomAffine: {name} {range} must be a finite range with min ≤ max");
    }
}
