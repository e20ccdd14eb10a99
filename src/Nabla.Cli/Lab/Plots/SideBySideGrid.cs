using Nabla.Cli.Generative;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Plots;

/// <summary>Several sets of gray images as blocks side by side in one <see cref="ImageGrid"/>, a white cell between
/// neighbouring blocks: real and generated digits, or the samples of several runs, compared row by row.</summary>
internal static class SideBySideGrid
{
    /// <summary>Writes the blocks to <paramref name="path"/>: row r holds images r·c … r·c + c − 1 of each block
    /// (c = <paramref name="columnsPerBlock"/>), left to right, for as many rows as the smallest block fills.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="blocks">Image sets [Nₖ, 1, H, W] with pixels in [0, 1], all of one H and W.</param>
    /// <param name="columnsPerBlock">Images per row of each block.</param>
    /// <param name="title">The line above, naming the blocks left to right.</param>
    /// <param name="scale">Screen pixels per image pixel.</param>
    public static void Save(string path, IReadOnlyList<Tensor> blocks, int columnsPerBlock, string title, int scale = 2)
    {
        ArgumentOutOfRangeException.ThrowIfZero(blocks.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(columnsPerBlock, 1);
        int rows = blocks.Min(b => b.Shape[0]) / columnsPerBlock;
        if (rows < 1) throw new ArgumentException($"SideBySideGrid: every block needs at least {columnsPerBlock} images (one row)", nameof(blocks));
        using var _ = Tensor.NoGrad();
        var separator = Tensor.Ones([1, .. blocks[0].Shape.Skip(1)]);
        var cells = new List<Tensor>();
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < blocks.Count; k++)
            {
                if (k > 0) cells.Add(separator);
                cells.Add(blocks[k].Narrow(0, r * columnsPerBlock, columnsPerBlock).To(DType.Float32));
            }
        ImageGrid.Save(path, Tensor.Cat(cells, 0), columns: blocks.Count * columnsPerBlock + blocks.Count - 1, scale: scale, title: title);
    }
}
