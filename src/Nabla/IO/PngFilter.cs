namespace Nabla.IO;

/// <summary>PNG's five scanline filters (ISO/IEC 15948, 9.2). Each byte x is stored as x − predict(a, b, c), mod 256,
/// where a is the byte one pixel to the left, b the byte above and c the byte above-left (0 beyond the image):
/// None predicts 0, Sub a, Up b, Average ⌊(a + b) / 2⌋, Paeth whichever of a, b, c is nearest to a + b − c.</summary>
internal static class PngFilter
{
    public const byte None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

    /// <summary>Number of filter types.</summary>
    public const int Count = 5;

    /// <summary>Reverses filter <paramref name="type"/> on <paramref name="row"/> in place, given the previous
    /// reconstructed row <paramref name="previous"/> (all zeros above the first row) and the byte distance
    /// <paramref name="stride"/> to the pixel on the left. The caller has checked <paramref name="type"/> &lt; 5.</summary>
    public static void Unfilter(byte type, Span<byte> row, ReadOnlySpan<byte> previous, int stride)
    {
        switch (type)
        {
            case Sub:
                for (int i = stride; i < row.Length; i++) row[i] += row[i - stride];
                break;
            case Up:
                for (int i = 0; i < row.Length; i++) row[i] += previous[i];
                break;
            case Average:
                for (int i = 0; i < stride; i++) row[i] += (byte)(previous[i] >> 1);
                for (int i = stride; i < row.Length; i++) row[i] += (byte)((row[i - stride] + previous[i]) >> 1);
                break;
            case Paeth:
                for (int i = 0; i < stride; i++) row[i] += previous[i];   // a = c = 0: Paeth picks b
                for (int i = stride; i < row.Length; i++) row[i] += PaethPredictor(row[i - stride], previous[i], previous[i - stride]);
                break;
        }
    }

    /// <summary>Applies filter <paramref name="type"/> to <paramref name="row"/> into <paramref name="filtered"/> (same length).</summary>
    public static void Filter(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int stride, Span<byte> filtered)
    {
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= stride ? row[i - stride] : 0, b = previous[i], c = i >= stride ? previous[i - stride] : 0;
            int predicted = type switch
            {
                Sub => a,
                Up => b,
                Average => (a + b) >> 1,
                Paeth => PaethPredictor(a, b, c),
                _ => 0,
            };
            filtered[i] = (byte)(row[i] - predicted);
        }
    }

    /// <summary>The one of a, b, c nearest to p = a + b − c, ties broken in the order a, b, c.</summary>
    public static byte PaethPredictor(int a, int b, int c)
    {
        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);   // |p − a|, |p − b|, |p − c|
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }
}
