namespace Nabla.NN;

/// <summary>A height/width pair for kernel sizes, strides and dilations; an int means the same value for both,
/// as PyTorch's <c>int | tuple[int, int]</c> arguments.</summary>
public readonly record struct Size2(int H, int W)
{
    /// <summary>Both dimensions equal to <paramref name="value"/>.</summary>
    public static implicit operator Size2(int value) => new(value, value);

    /// <summary>From a (height, width) tuple.</summary>
    public static implicit operator Size2((int H, int W) value) => new(value.H, value.W);

    /// <summary>Named alternative to the implicit conversion.</summary>
    public static Size2 FromInt32(int value) => new(value, value);

    /// <summary>Named alternative to the implicit conversion.</summary>
    public static Size2 FromValueTuple((int H, int W) value) => new(value.H, value.W);

    /// <inheritdoc/>
    public override string ToString() => H == W ? H.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"({H}, {W})";
}

/// <summary>Convolution padding: explicit sizes, or "same" (output size = input size, stride 1) or "valid" (no padding),
/// as PyTorch's <c>padding</c> argument.</summary>
public readonly record struct ConvPadding(int H, int W, string? Mode)
{
    /// <summary>The same padding on all sides.</summary>
    public static implicit operator ConvPadding(int value) => new(value, value, null);

    /// <summary>(height, width) padding.</summary>
    public static implicit operator ConvPadding((int H, int W) value) => new(value.H, value.W, null);

    /// <summary>"same" or "valid".</summary>
    public static implicit operator ConvPadding(string mode) => mode is "same" or "valid"
        ? new ConvPadding(0, 0, mode)
        : throw new ArgumentException($"padding must be \"same\", \"valid\" or sizes; got \"{mode}\".", nameof(mode));

    /// <summary>Named alternative to the implicit conversion.</summary>
    public static ConvPadding FromInt32(int value) => value;

    /// <summary>Named alternative to the implicit conversion.</summary>
    public static ConvPadding FromString(string mode) => mode;

    /// <summary>Named alternative to the implicit conversion.</summary>
    public static ConvPadding FromValueTuple((int H, int W) value) => value;

    /// <summary>(top, left, bottom, right) for a kernel and dilation; "same" puts the odd extra row/column at the
    /// bottom/right, as PyTorch does.</summary>
    internal (int Top, int Left, int Bottom, int Right) Resolve(string op, Size2 kernel, Size2 dilation, Size2 stride)
    {
        if (Mode == "valid") return (0, 0, 0, 0);
        if (Mode != "same") return (H, W, H, W);
        if (stride.H != 1 || stride.W != 1)
            throw new ArgumentException($"{op}: padding=\"same\" is not supported for strided convolutions (stride {stride}).");
        int th = dilation.H * (kernel.H - 1), tw = dilation.W * (kernel.W - 1);
        return (th / 2, tw / 2, th - th / 2, tw - tw / 2);
    }

    /// <inheritdoc/>
    public override string ToString() => Mode is not null ? $"\"{Mode}\"" : H == W ? H.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"({H}, {W})";
}
