using System.Numerics;
using Nabla.Kernels.Embedding;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Embedding lookup (PyTorch's embedding): y[..., :] = W[idx[...], :] for W [V, D] and integer indices of any
/// shape, giving [..., D].  dW[k] = Σ_{i: idx_i = k} dy[i] (scaled by 1/count_k with scaleGradByFreq); the padding row
/// receives no gradient. Indices get none.</summary>
internal sealed class EmbeddingOp : Node
{
    private SavedTensor indices;   // contiguous int64, the index shape
    private readonly int[] weightShape;
    private readonly long paddingIdx;
    private readonly bool scaleGradByFreq;

    private EmbeddingOp(Tensor weight, Tensor indices, long paddingIdx, bool scaleGradByFreq) : base(weight) =>
        (this.indices, weightShape, this.paddingIdx, this.scaleGradByFreq) = (Save(indices), weight.shape, paddingIdx, scaleGradByFreq);

    /// <summary>Looks the rows up. <paramref name="paddingIdx"/> is already wrapped to [0, V), or −1 for none;
    /// <paramref name="maxNorm"/> renormalizes the referenced rows of the weight in place first.</summary>
    public static Tensor Apply(Tensor weight, Tensor indices, long paddingIdx, double? maxNorm, double normType, bool scaleGradByFreq, string op = "Embedding")
    {
        if (weight.Dim != 2)
            Throw.Shape(op, "[num_embeddings, embedding_dim]", ShapeUtil.Format(weight.shape),
                $"{op}: weight must be 2-D [num_embeddings, embedding_dim]; got {ShapeUtil.Format(weight.shape)}.");
        if (!weight.DType.IsFloatingPoint()) Throw.DType(op, weight.DType, "float32 or float64");
        IndexArgs.CheckIndexDType(op, indices, "input");
        var idx = IndexArgs.AsInt64(indices);
        int v = weight.shape[0], d = weight.shape[1];
        IndexArgs.CheckRange(op, idx.Span<long>(), v, 0);
        if (maxNorm is { } limit) Renorm(op, weight, idx, limit, normType);

        var yShape = new int[indices.Dim + 1];
        indices.shape.CopyTo(yShape, 0);
        yShape[^1] = d;
        var y = Tensor.Uninitialized(yShape, weight.DType);
        var w = weight.ContiguousRaw();
        if (weight.DType == DType.Float32) EmbeddingKernel.Gather(w.Span<float>(), idx.Span<long>(), y.Span<float>(), d);
        else EmbeddingKernel.Gather(w.Span<double>(), idx.Span<long>(), y.Span<double>(), d);
        return Graph.ShouldRecord(weight) ? Graph.Record(y, new EmbeddingOp(weight, idx, paddingIdx, scaleGradByFreq)) : y;
    }

    /// <summary>Rows named by the indices with a p-norm above maxNorm are scaled down to it, in the weight's own storage
    /// (PyTorch's embedding_renorm_, done without recording).</summary>
    private static void Renorm(string op, Tensor weight, Tensor idx, double maxNorm, double normType)
    {
        if (!weight.IsContiguous) Throw.Argument($"{op}: max_norm renormalizes the weight in place, which must be contiguous.");
        if (weight.DType == DType.Float32) EmbeddingKernel.Renorm(weight.Span<float>(), idx.Span<long>(), weight.shape[1], maxNorm, normType);
        else EmbeddingKernel.Renorm(weight.Span<double>(), idx.Span<long>(), weight.shape[1], maxNorm, normType);
        weight.Storage.Version++;
    }

    protected internal override void Backward(Tensor dy)
    {
        var idx = indices.Value.Span<long>();
        var g = dy.ContiguousRaw();
        var dw = Tensor.Uninitialized(weightShape, dy.DType);
        if (dy.DType == DType.Float32) EmbeddingKernel.ScatterAdd(g.Span<float>(), idx, dw.Span<float>(), weightShape[1], paddingIdx, scaleGradByFreq);
        else EmbeddingKernel.ScatterAdd(g.Span<double>(), idx, dw.Span<double>(), weightShape[1], paddingIdx, scaleGradByFreq);
        AddGrad(0, dw);
    }

    protected internal override void ReleaseSaved() => indices = default;
}
