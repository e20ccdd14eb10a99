using System.Globalization;

namespace Nabla.NN;

/// <summary>A height/width pair of scale factors; a double means the same factor for both, as PyTorch's
/// <c>float | tuple[float, float]</c> scale_factor.</summary>
public readonly record struct Scale2(double H, double W)
{
    /// <summary>Both factors equal to <paramref name="value"/>.</summary>
    public static implicit operator Scale2(double value) => new(value, value);

    /// <summary>From a (height, width) tuple.</summary>
    public static implicit operator Scale2((double H, double W) value) => new(value.H, value.W);

    /// <summary>Named alternative to the implicit conversion.</summary>
    public static Scale2 FromDouble(double value) => new(value, value);

    /// <summary>Named alternative to the implicit conversion.</summary>
    public static Scale2 FromValueTuple((double H, double W) value) => new(value.H, value.W);

    /// <inheritdoc/>
    public override string ToString() => H == W ? Python(H) : $"({Python(H)}, {Python(W)})";

    private static string Python(double v) => v == Math.Floor(v) && Math.Abs(v) < 1e15
        ? v.ToString("0.0", CultureInfo.InvariantCulture)
        : v.ToString("R", CultureInfo.InvariantCulture);
}
