using Nabla.Tensors;

namespace Nabla.Cli.Lab.Common;

/// <summary>Small tensors as the double[,] grids that tables and heatmaps take.</summary>
internal static class TensorGrid
{
    /// <summary>The values of a 2-D tensor [rows, columns] of any float dtype.</summary>
    public static double[,] Of(Tensor matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Dim != 2) throw new ArgumentException($"TensorGrid.Of: expected a 2-D tensor; got [{string.Join(", ", matrix.Shape)}]", nameof(matrix));
        var values = matrix.To(DType.Float64).Contiguous().ToArray<double>();
        int rows = matrix.Shape[0], cols = matrix.Shape[1];
        var grid = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) grid[i, j] = values[i * cols + j];
        return grid;
    }

    /// <summary>A grid as a tensor [rows, columns] of <paramref name="dtype"/>.</summary>
    public static Tensor ToTensor(double[,] grid, DType dtype = DType.Float64)
    {
        ArgumentNullException.ThrowIfNull(grid);
        int rows = grid.GetLength(0), cols = grid.GetLength(1);
        var values = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) values[i * cols + j] = grid[i, j];
        return Tensor.FromArray<double>(values, [rows, cols]).To(dtype);
    }
}
