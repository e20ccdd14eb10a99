using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = cat(tensors, dim): the inputs laid end to end along dim (sizes must match elsewhere).
/// d tensorᵢ = dy narrowed to tensorᵢ's slab along dim.</summary>
/// <remarks>Each input is read as [outer, sizeᵢ·inner] and written as one block per outer row, so dim = 0 is a
/// single span copy per input. Like PyTorch, 1-D empty tensors (shape [0]) are skipped whatever the other shapes.</remarks>
internal sealed class CatOp : Node
{
    private readonly int[][] shapes;
    private readonly int[] starts;   // slab start of each input along dim
    private readonly int dim;

    private CatOp(Tensor[] inputs, int[][] shapes, int[] starts, int dim) : base(inputs)
    {
        this.shapes = shapes;
        this.starts = starts;
        this.dim = dim;
    }

    public static Tensor Apply(IReadOnlyList<Tensor> tensors, int dim)
    {
        const string op = "Cat";
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) Throw.Argument($"{op}: expected a non-empty list of tensors.");
        var inputs = new Tensor[tensors.Count];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = tensors[i];

        int reference = Array.FindIndex(inputs, t => !IsLegacyEmpty(t));
        if (reference < 0) reference = 0;
        var refT = inputs[reference];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].Dim == 0) Throw.Argument($"{op}: tensor {i} is 0-dimensional; only tensors with at least one dimension can be concatenated.");
            if (inputs[i].DType != refT.DType)
                Throw.Argument($"{op}: tensor {i} has dtype {inputs[i].DType.TorchName()} but tensor {reference} has {refT.DType.TorchName()}; all tensors must have the same dtype.");
        }
        int d = ShapeUtil.WrapDim(op, dim, refT.Dim);
        int total = 0;
        var starts = new int[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var t = inputs[i];
            starts[i] = total;
            if (i != reference && IsLegacyEmpty(t)) continue;
            if (t.Dim != refT.Dim)
                Throw.Shape(op, ShapeUtil.Format(refT.shape), ShapeUtil.Format(t.shape),
                    $"{op}: tensor {i} has {t.Dim} dimensions {ShapeUtil.Format(t.shape)} but tensor {reference} has {refT.Dim} {ShapeUtil.Format(refT.shape)}; all tensors must have the same number of dimensions.");
            for (int k = 0; k < t.Dim; k++)
                if (k != d && t.shape[k] != refT.shape[k])
                    Throw.Shape(op, ShapeUtil.Format(refT.shape), ShapeUtil.Format(t.shape),
                        $"{op}: tensor {i} has shape {ShapeUtil.Format(t.shape)} but tensor {reference} has {ShapeUtil.Format(refT.shape)}; sizes must match except in dimension {d} (they differ in dimension {k}).");
            total += t.shape[d];
        }

        var yShape = (int[])refT.shape.Clone();
        yShape[d] = total;
        var y = Tensor.Uninitialized(yShape, refT.DType);
        var (outer, _, inner) = IndexArgs.Around(yShape, d);
        for (int i = 0; i < inputs.Length; i++)
        {
            var t = inputs[i];
            if (t.NumEl == 0) continue;
            var src = t.ContiguousRaw();
            int block = t.shape[d] * inner, rowLength = total * inner, start = starts[i] * inner;
            switch (y.DType)
            {
                case DType.Float32: CopyBlocks(src.Span<float>(), y.Span<float>(), outer, block, rowLength, start); break;
                case DType.Float64: CopyBlocks(src.Span<double>(), y.Span<double>(), outer, block, rowLength, start); break;
                case DType.Int64: CopyBlocks(src.Span<long>(), y.Span<long>(), outer, block, rowLength, start); break;
                case DType.Int32: CopyBlocks(src.Span<int>(), y.Span<int>(), outer, block, rowLength, start); break;
                case DType.Complex64: CopyBlocks(src.Span<Complex64>(), y.Span<Complex64>(), outer, block, rowLength, start); break;
                default: CopyBlocks(src.Span<bool>(), y.Span<bool>(), outer, block, rowLength, start); break;
            }
        }
        if (!Graph.ShouldRecord(inputs)) return y;
        var shapes = new int[inputs.Length][];
        for (int i = 0; i < inputs.Length; i++) shapes[i] = inputs[i].shape;
        return Graph.Record(y, new CatOp(inputs, shapes, starts, d));
    }

    private static bool IsLegacyEmpty(Tensor t) => t.Dim == 1 && t.shape[0] == 0;

    /// <summary>dst[o, start : start+block] = src[o, :] for each outer row o (rows of rowLength).</summary>
    private static void CopyBlocks<T>(ReadOnlySpan<T> src, Span<T> dst, int outer, int block, int rowLength, int start)
    {
        for (int o = 0; o < outer; o++)
            src.Slice(o * block, block).CopyTo(dst.Slice(o * rowLength + start, block));
    }

    protected internal override void Backward(Tensor dy)
    {
        for (int i = 0; i < shapes.Length; i++)
        {
            if (!NeedsGrad(i)) continue;
            if (IsLegacyEmptyShape(shapes[i]) && dy.Dim != 1) { AddGrad(i, Tensor.Zeros(shapes[i], dy.DType)); continue; }
            // A view of dy: the slab of input i (its own shape, dy's strides).
            AddGrad(i, dy.AsStrided(shapes[i], dy.strides, dy.Offset + starts[i] * dy.strides[dim]));
        }
    }

    private static bool IsLegacyEmptyShape(int[] shape) => shape.Length == 1 && shape[0] == 0;
}
