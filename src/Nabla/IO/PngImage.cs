using Nabla.Tensors;

namespace Nabla.IO;

/// <summary>An 8-bit image: <see cref="Height"/> rows of <see cref="Width"/> pixels, each <see cref="Channels"/> bytes,
/// row-major and interleaved, as <see cref="Png"/> reads and writes it.</summary>
/// <remarks>Channels: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. 0 is black (or transparent), 255 full intensity (or opaque).</remarks>
public sealed class PngImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied): Height × Width × Channels bytes, row-major, channels interleaved.</summary>
    /// <exception cref="ArgumentException">A size is below 1, channels is not 1–4, or the pixel count does not match.</exception>
    public PngImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width < 1 || height < 1)
            throw new ArgumentException($"PngImage: size {width}×{height} is invalid; width and height must be at least 1");
        if (channels is < 1 or > 4)
            throw new ArgumentException($"PngImage: {channels} channels is invalid; expected 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA)", nameof(channels));
        long expected = (long)width * height * channels;
        if (pixels.Length != expected)
            throw new ArgumentException($"PngImage: {width}×{height} with {channels} channels needs {expected} bytes but {pixels.Length} were given", nameof(pixels));
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Bytes per pixel: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }

    /// <summary>Height × Width × Channels bytes, row-major, channels interleaved.</summary>
    public byte[] Pixels { get; }

    /// <summary>Whether the last channel is alpha (2 or 4 channels).</summary>
    public bool HasAlpha => Channels is 2 or 4;

    /// <summary>One gray channel: L = (19595 R + 38470 G + 7471 B + 2¹⁵) / 2¹⁶, the ITU-R 601-2 luma in PIL's
    /// fixed point (<c>Image.convert("L")</c>); alpha is dropped. Returns this image when it already is gray.</summary>
    public PngImage ToGrayscale()
    {
        if (Channels == 1) return this;
        var gray = new byte[Width * Height];
        ReadOnlySpan<byte> p = Pixels;
        for (int i = 0, j = 0; i < gray.Length; i++, j += Channels)
            gray[i] = Channels < 3 ? p[j] : (byte)((19595 * p[j] + 38470 * p[j + 1] + 7471 * p[j + 2] + 0x8000) >> 16);
        return new PngImage(Width, Height, 1, gray);
    }

    /// <summary>Three RGB channels: gray is repeated, alpha dropped (PIL's <c>Image.convert("RGB")</c>).
    /// Returns this image when it already is RGB.</summary>
    public PngImage ToRgb()
    {
        if (Channels == 3) return this;
        var rgb = new byte[Width * Height * 3];
        ReadOnlySpan<byte> p = Pixels;
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += Channels)
        {
            if (Channels < 3) rgb[i] = rgb[i + 1] = rgb[i + 2] = p[j];
            else { rgb[i] = p[j]; rgb[i + 1] = p[j + 1]; rgb[i + 2] = p[j + 2]; }
        }
        return new PngImage(Width, Height, 3, rgb);
    }

    /// <summary>float32 [C, H, W] with values byte / 255 in [0, 1] (torchvision's <c>ToTensor</c> after
    /// <c>convert("L")</c> or <c>convert("RGB")</c>): C = 1 when <paramref name="grayscale"/>, else 3.</summary>
    public Tensor ToTensor(bool grayscale = false)
    {
        var image = grayscale ? ToGrayscale() : ToRgb();
        int c = image.Channels, plane = Width * Height;
        var result = Tensor.Empty([c, Height, Width]);
        var values = result.Span<float>();
        ReadOnlySpan<byte> p = image.Pixels;
        for (int ch = 0; ch < c; ch++)   // interleaved HWC bytes → planar CHW floats
        {
            var dst = values.Slice(ch * plane, plane);
            for (int i = 0; i < plane; i++) dst[i] = p[i * c + ch] / 255f;   // divided, as torchvision's ToTensor, not times 1/255
        }
        return result;
    }

    /// <summary>An image from a float tensor [C, H, W] (C = 1–4) or [H, W] with values in [0, 1]: each value is clamped
    /// to [0, 1] and stored as round(255 v) (torchvision's <c>ToPILImage</c> for float input, rounded rather than truncated).</summary>
    /// <exception cref="ArgumentException">The tensor is not float32/float64, or not [H, W] or [C, H, W] with 1–4 channels.</exception>
    public static PngImage FromTensor(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.DType is not (DType.Float32 or DType.Float64))
            throw new ArgumentException($"PngImage.FromTensor: expected a float32 or float64 tensor with values in [0, 1], got {image.DType}", nameof(image));
        bool planar = image.Dim == 3;
        if (!(image.Dim == 2 || (planar && image.Shape[0] is >= 1 and <= 4)) || image.NumEl == 0)
            throw new ArgumentException($"PngImage.FromTensor: expected [C, H, W] with C from 1 to 4, or [H, W], got {ShapeUtil.Format(image.ShapeSpan)}", nameof(image));
        int c = planar ? image.Shape[0] : 1, h = image.Shape[planar ? 1 : 0], w = image.Shape[planar ? 2 : 1];
        var values = image.ToRaw(DType.Float32).Span<float>();
        var pixels = new byte[c * h * w];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < plane; i++)
            {
                float v = values[ch * plane + i];
                pixels[i * c + ch] = (byte)MathF.Round(255 * (v > 0 ? Math.Min(v, 1f) : 0f));   // NaN → 0
            }
        return new PngImage(w, h, c, pixels);
    }

    /// <inheritdoc/>
    public override string ToString() => $"PngImage {Width}×{Height}, {Channels switch { 1 => "gray", 2 => "gray + alpha", 3 => "RGB", _ => "RGBA" }}";
}
