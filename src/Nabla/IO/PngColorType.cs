namespace Nabla.IO;

/// <summary>The colour types of the PNG specification (ISO/IEC 15948, 11.2.2 IHDR).</summary>
internal enum PngColorType : byte
{
    /// <summary>Gray samples; bit depth 1, 2, 4, 8 or 16.</summary>
    Gray = 0,

    /// <summary>Red, green, blue samples; bit depth 8 or 16.</summary>
    Rgb = 2,

    /// <summary>Indices into the PLTE chunk's colours; bit depth 1, 2, 4 or 8.</summary>
    Palette = 3,

    /// <summary>Gray and alpha samples; bit depth 8 or 16.</summary>
    GrayAlpha = 4,

    /// <summary>Red, green, blue and alpha samples; bit depth 8 or 16.</summary>
    Rgba = 6,
}
