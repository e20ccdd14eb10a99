using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>Samples are matching rows of an input tensor and a target tensor (<c>TensorDataset</c>);
/// batches are gathered as whole row blocks, without per-sample tensors.</summary>
public sealed class TensorDataset : Dataset<(Tensor Input, Tensor Target)>
{
    /// <summary>All inputs; dimension 0 indexes samples.</summary>
    public Tensor Inputs { get; }

    /// <summary>All targets; dimension 0 indexes samples.</summary>
    public Tensor Targets { get; }

    /// <summary>Pairs the rows of <paramref name="inputs"/> and <paramref name="targets"/>.</summary>
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        if (inputs.Dim == 0 || targets.Dim == 0 || inputs.Shape[0] != targets.Shape[0])
            throw new ShapeMismatchException("TensorDataset", "equal sizes in dimension 0", ShapeUtil.Format(targets.ShapeSpan),
                $"TensorDataset: inputs {ShapeUtil.Format(inputs.ShapeSpan)} and targets {ShapeUtil.Format(targets.ShapeSpan)} must have the same size in dimension 0.");
        Inputs = inputs.Contiguous();
        Targets = targets.Contiguous();
    }

    /// <inheritdoc/>
    public override int Count => Inputs.Shape[0];

    /// <inheritdoc/>
    public override (Tensor Input, Tensor Target) Get(int index) => (Inputs.Select(0, index), Targets.Select(0, index));

    /// <summary>The rows at <paramref name="indices"/>, stacked: inputs [B, ...] and targets [B, ...].</summary>
    public (Tensor Input, Tensor Target) GetBatch(ReadOnlySpan<int> indices) => (GatherRows(Inputs, indices), GatherRows(Targets, indices));

    /// <summary>Copies whole rows (dimension 0) into a new contiguous tensor.</summary>
    internal static Tensor GatherRows(Tensor source, ReadOnlySpan<int> indices)
    {
        var shape = source.Shape.ToArray();
        shape[0] = indices.Length;
        var result = Tensor.Empty(shape, source.DType);
        int row = source.NumEl / Math.Max(source.Shape[0], 1);
        switch (source.DType)
        {
            case DType.Float32: Copy(source.Span<float>(), result.Span<float>(), indices, row); break;
            case DType.Float64: Copy(source.Span<double>(), result.Span<double>(), indices, row); break;
            case DType.Int64: Copy(source.Span<long>(), result.Span<long>(), indices, row); break;
            case DType.Int32: Copy(source.Span<int>(), result.Span<int>(), indices, row); break;
            case DType.Complex64: Copy(source.Span<Complex64>(), result.Span<Complex64>(), indices, row); break;
            default: Copy(source.Span<bool>(), result.Span<bool>(), indices, row); break;
        }
        return result;
    }

    private static void Copy<T>(ReadOnlySpan<T> src, Span<T> dst, ReadOnlySpan<int> indices, int row)
    {
        for (int i = 0; i < indices.Length; i++) src.Slice(indices[i] * row, row).CopyTo(dst.Slice(i * row, row));
    }
}
