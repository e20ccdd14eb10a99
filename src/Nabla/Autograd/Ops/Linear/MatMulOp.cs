using Nabla.Kernels.Gemm;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>C = A·B for A [..., m, k] and B [..., k, n], batch dimensions broadcast.
/// dA = Σ_bcast dC·Bᵀ,  dB = Σ_bcast Aᵀ·dC. 1-D operands are promoted as in torch.matmul.</summary>
internal sealed class MatMulOp : Node
{
    private SavedTensor a, b;
    private readonly int[] aShape, bShape;

    private MatMulOp(Tensor a, Tensor b) : base(a, b)
    {
        if (b.RequiresGrad) this.a = Save(a);
        if (a.RequiresGrad) this.b = Save(b);
        (aShape, bShape) = (a.shape, b.shape);
    }

    public static Tensor Apply(Tensor a, Tensor b)
    {
        if (a.Dim == 0 || b.Dim == 0)
            Throw.Shape("MatMul", "at least 1-D operands", $"{ShapeUtil.Format(a.shape)} · {ShapeUtil.Format(b.shape)}",
                $"MatMul: both operands must have at least one dimension; got {ShapeUtil.Format(a.shape)} · {ShapeUtil.Format(b.shape)}.");
        // torch.matmul: a 1-D left operand is a row vector, a 1-D right operand a column vector; the added dim is removed after.
        if (a.Dim == 1 || b.Dim == 1)
        {
            var a2 = a.Dim == 1 ? a.Unsqueeze(0) : a;
            var b2 = b.Dim == 1 ? b.Unsqueeze(-1) : b;
            var c2 = Apply(a2, b2);
            if (b.Dim == 1) c2 = c2.Squeeze(-1);
            if (a.Dim == 1) c2 = c2.Squeeze(a.Dim == 1 && b.Dim == 1 ? 0 : -2);
            return c2;
        }
        var c = Compute(a, b);
        return Graph.ShouldRecord(a, b) ? Graph.Record(c, new MatMulOp(a, b)) : c;
    }

    /// <summary>A·B without autograd, for A [..., m, k] and B [..., k, n] (both at least 2-D).</summary>
    internal static Tensor Compute(Tensor a, Tensor b)
    {
        BinaryDriver.CheckDTypes("MatMul", a, b);
        int m = a.shape[^2], k = a.shape[^1], k2 = b.shape[^2], n = b.shape[^1];
        if (k != k2)
            Throw.Shape("MatMul", $"{k} rows in the right operand", k2.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"MatMul: inner dimensions differ: {ShapeUtil.Format(a.shape)} · {ShapeUtil.Format(b.shape)} ({k} ≠ {k2}).");
        var batch = ShapeUtil.Broadcast("MatMul", a.shape.AsSpan(0, a.Dim - 2), b.shape.AsSpan(0, b.Dim - 2));
        int batchCount = ShapeUtil.NumEl(batch);
        var outShape = new int[batch.Length + 2];
        batch.CopyTo(outShape, 0);
        (outShape[^2], outShape[^1]) = (m, n);
        var c = Tensor.Uninitialized(outShape, a.DType);
        if (c.NumEl == 0) return c;
        if (k == 0) { c.FillRaw(0); return c; }
        var oa = MatrixOperand.Of(a, batch);
        var ob = MatrixOperand.Of(b, batch);
        if (a.DType == DType.Float32)
        {
            Gemm.SgemmBatched(oa.Transposed, ob.Transposed, batchCount, m, n, k, 1f,
                oa.Source.Raw<float>().AsSpan(oa.Offset), oa.Ld, oa.BatchStride,
                ob.Source.Raw<float>().AsSpan(ob.Offset), ob.Ld, ob.BatchStride,
                0f, c.Span<float>(), n, (long)m * n);
        }
        else
        {
            Gemm.DgemmBatched(oa.Transposed, ob.Transposed, batchCount, m, n, k, 1.0,
                oa.Source.Raw<double>().AsSpan(oa.Offset), oa.Ld, oa.BatchStride,
                ob.Source.Raw<double>().AsSpan(ob.Offset), ob.Ld, ob.BatchStride,
                0.0, c.Span<double>(), n, (long)m * n);
        }
        return c;
    }

    protected internal override void Backward(Tensor dc)
    {
        if (NeedsGrad(0)) AddGrad(0, Compute(dc, b.Value.TransposeRaw(bShape.Length - 2, bShape.Length - 1)).SumToRaw(aShape));
        if (NeedsGrad(1)) AddGrad(1, Compute(a.Value.TransposeRaw(aShape.Length - 2, aShape.Length - 1), dc).SumToRaw(bShape));
    }

    protected internal override void ReleaseSaved() => (a, b) = (default, default);
}
