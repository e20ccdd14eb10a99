namespace Nabla.IO;

/// <summary>What the chunks of a PNG file hold, checked for order and consistency: the header, the palette and its
/// alpha values (palette images only), and the IDAT chunks' zlib stream, concatenated.</summary>
internal sealed record PngContents(PngHeader Header, byte[]? Palette, byte[]? PaletteAlpha, byte[] Compressed);
