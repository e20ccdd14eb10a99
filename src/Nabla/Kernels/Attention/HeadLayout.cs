namespace Nabla.Kernels.Attention;

/// <summary>Where the matrix of one attention item lies in a buffer: item b = (n, h) for n = b / heads, h = b mod heads,
/// its row t starts at <c>Offset + n·BatchStride + h·HeadStride + t·Ld</c> and its columns are contiguous.</summary>
/// <remarks>This reads a projection [N, T, H·D] split into heads without copying it apart: HeadStride = D, Ld = H·D
/// (or 3·H·D when query, key and value share one packed projection, with Offset 0, H·D and 2·H·D).</remarks>
internal readonly record struct HeadLayout(long Offset, long BatchStride, long HeadStride, int Ld)
{
    /// <summary>The start of item <paramref name="item"/>'s matrix.</summary>
    public long Of(int item, int heads) => Offset + item / heads * BatchStride + item % heads * HeadStride;

    /// <summary>Elements a span must hold for <paramref name="items"/> matrices of <paramref name="rows"/> × <paramref name="columns"/>.</summary>
    public long Extent(int items, int heads, int rows, int columns) =>
        items == 0 || rows == 0 ? 0 : Of(items - 1, heads) + (rows - 1) * (long)Ld + columns;
}
