using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.NN;

public sealed class EmbeddingTests
{
    private static Tensor Table(int v, int d, int seed) => Tensor.Randn([v, d], DType.Float64, new Generator(seed), requiresGrad: true);

    [Theory]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    public void Embedding_GathersRows_ForIndicesOfAnyShape(DType indexType)
    {
        var w = Table(6, 4, 1);
        var idx = Tensor.FromArray<long>([5, 0, 2, 2, 1, 5], [2, 3]).To(indexType);
        var y = Functional.Embedding(idx, w);
        Assert.Equal([2, 3, 4], y.Shape);
        long[] rows = [5, 0, 2, 2, 1, 5];
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 4; j++) Assert.Equal(w[(int)rows[i], j], y[i / 3, i % 3, j]);
        Assert.Equal([4], Functional.Embedding(Tensor.Scalar(3, DType.Int64), w).Shape);
    }

    [Fact]
    public void Embedding_Backward_ScatterAddsRows_AndSkipsThePaddingRow()
    {
        var w = Table(4, 2, 2);
        var idx = Tensor.FromArray<long>([1, 3, 1, 0], [4]);
        var y = Functional.Embedding(idx, w, paddingIdx: 3);
        y.Mul(Tensor.FromArray<double>([1, 2, 3, 4, 5, 6, 7, 8], [4, 2])).Sum().Backward();
        // Row 1 appears twice (upstream rows [1, 2] and [5, 6]); row 3 is padding; row 0 gets [7, 8]; row 2 nothing.
        Expect.Values(w.Grad!, [4, 2], [7, 8, 6, 8, 0, 0, 0, 0]);
        // Finite differences see the padding row (forward reads it), so the check runs without one.
        GradCheck.Assert(t => Functional.Embedding(Tensor.FromArray<long>([2, 0, 2, 3, 1, 0], [3, 2]), t[0]), Table(4, 3, 3));
    }

    [Fact]
    public void Embedding_ScaleGradByFreq_DividesByOccurrences()
    {
        var w = Table(3, 2, 4);
        var idx = Tensor.FromArray<long>([2, 2, 0, 2], [4]);
        Functional.Embedding(idx, w, scaleGradByFreq: true).Sum().Backward();
        Expect.Values(w.Grad!, [3, 2], [1, 1, 0, 0, 1, 1], 1e-12);   // row 2: three ones / 3
    }

    [Fact]
    public void Embedding_MaxNorm_RenormalizesReferencedRowsInPlace()
    {
        var w = Tensor.FromArray<double>([3, 4, 0.3, 0.4, 6, 8], [3, 2]);
        var y = Functional.Embedding(Tensor.FromArray<long>([0, 1], [2]), w, maxNorm: 1);
        double s = 1 / (5 + 1e-7);
        Expect.Values(w, [3, 2], [3 * s, 4 * s, 0.3, 0.4, 6, 8], 1e-12);   // row 2 was not looked up
        Expect.Values(y, [2, 2], [3 * s, 4 * s, 0.3, 0.4], 1e-12);
    }

    [Fact]
    public void EmbeddingLayer_InitializesFromStandardNormal_WithThePaddingRowZeroed()
    {
        var emb = new Embedding(2000, 16, paddingIdx: -1, generator: new Generator(5));
        Assert.Equal(1999, emb.PaddingIdx);
        var w = emb.Weight.ToArray<float>();
        Assert.All(w.AsSpan(1999 * 16).ToArray(), v => Assert.Equal(0f, v));
        double mean = w.Average(), std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(std, 0.97, 1.03);
        Assert.Equal(["weight"], emb.StateDict().Keys);
        Assert.Equal("Embedding(2000, 16, padding_idx=1999)", emb.Describe());
        Assert.Equal([5, 16], emb.Call(Tensor.FromArray<long>([0, 1, 2, 3, 1999], [5])).Shape);
    }

    [Fact]
    public void EmbeddingFromPretrained_SharesTheTable_AndFreezesByDefault()
    {
        var table = Tensor.FromArray<float>([1, 2, 3, 4, 5, 6], [3, 2]);
        var frozen = Embedding.FromPretrained(table);
        Assert.False(frozen.Weight.RequiresGrad);
        Expect.Values(frozen.Call(Tensor.FromArray<long>([2], [1])), [1, 2], [5, 6]);
        var tuned = Embedding.FromPretrained(table, freeze: false, paddingIdx: 0);
        Assert.True(tuned.Weight.RequiresGrad);
        Expect.Values(tuned.Weight, [3, 2], [1, 2, 3, 4, 5, 6]);   // the padding row is kept as given
        tuned.Call(Tensor.FromArray<long>([0, 1], [2])).Sum().Backward();
        Expect.Values(tuned.Weight.Grad!, [3, 2], [0, 0, 1, 1, 0, 0]);
    }

    [Fact]
    public void Embedding_RejectsBadIndices_WithClearMessages()
    {
        var w = Tensor.Zeros([4, 2]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Embedding(Tensor.FromArray<long>([1, 4], [2]), w));
        Assert.Contains("Embedding: index 4 is out of range for dimension 0 with size 4", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Embedding(Tensor.FromArray<long>([-1], [1]), w));
        var a = Assert.Throws<ArgumentException>(() => Functional.Embedding(Tensor.Zeros([2]), w));
        Assert.Contains("Embedding: input has dtype float32; expected int64 or int32", a.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(4, 2, paddingIdx: 4));
        Assert.Throws<ShapeMismatchException>(() => Functional.Embedding(Tensor.FromArray<long>([0], [1]), Tensor.Zeros([4])));
    }
}
