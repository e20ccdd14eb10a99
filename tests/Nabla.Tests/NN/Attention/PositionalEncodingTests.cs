using Nabla.Autograd;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

/// <summary>The sinusoidal, learned and rotary position encodings.</summary>
public sealed class PositionalEncodingTests
{
    [Fact]
    public void Sinusoidal_FollowsTheTutorialFormula_AndItsBuffer()
    {
        var pe = new SinusoidalPositionalEncoding(4, dropout: 0, maxLen: 10);
        Assert.Equal(["pe"], pe.StateDict().Keys);
        Assert.Equal([10, 1, 4], pe.Pe.Shape);
        // PE[pos, 2i] = sin(pos/10000^(2i/d)), PE[pos, 2i+1] = cos(…): d = 4 gives frequencies 1 and 1/100.
        double[] row3 = [Math.Sin(3), Math.Cos(3), Math.Sin(0.03), Math.Cos(0.03)];
        for (int c = 0; c < 4; c++) Assert.Equal(row3[c], pe.Pe[3, 0, c], 6);
        Assert.Equal(0, pe.Pe[0, 0, 0]);
        Assert.Equal(1, pe.Pe[0, 0, 1]);
    }

    [Fact]
    public void Sinusoidal_AddsTheCode_SequenceFirstBatchFirstAndAtAnOffset()
    {
        var x = Tensor.Randn([5, 2, 6], generator: new Generator(1));
        var seqFirst = new SinusoidalPositionalEncoding(6, dropout: 0);
        var table = SinusoidalPositionalEncoding.Table(5, 6);
        Assert.True(seqFirst.Call(x).AllClose(x.Add(table.Unsqueeze(1)), 1e-6, 1e-6));
        var batchFirst = new SinusoidalPositionalEncoding(6, dropout: 0, batchFirst: true);
        var xb = x.Transpose(0, 1);
        Assert.True(batchFirst.Call(xb).AllClose(xb.Add(table), 1e-6, 1e-6));
        // Feeding positions 3 and 4 alone with offset 3 equals the tail of the full call.
        Assert.True(batchFirst.Forward(xb.Narrow(1, 3, 2), 3).AllClose(batchFirst.Call(xb).Narrow(1, 3, 2), 1e-6, 1e-6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SinusoidalPositionalEncoding(6, dropout: 0, maxLen: 4).Call(x));
    }

    [Fact]
    public void Learned_AddsTrainableRows()
    {
        var pe = new LearnedPositionalEncoding(8, 4, batchFirst: true, generator: new Generator(2));
        Assert.Equal(["embedding.weight"], pe.StateDict().Keys);
        var x = Tensor.Zeros([2, 3, 4]);
        var y = pe.Forward(x, offset: 2);
        Assert.True(y.Select(0, 1).AllClose(pe.Embedding.Weight.Narrow(0, 2, 3), 0, 0));
        y.Sum().Backward();
        var g = pe.Embedding.Weight.Grad!;
        Assert.Equal(0, g.Narrow(0, 0, 2).Abs().Sum().Item());
        Assert.Equal(2, g[2, 0]);   // two batch rows used position 2
    }

    [Fact]
    public void Rotary_DotProductDependsOnlyOnTheRelativePosition()
    {
        var rope = new RotaryPositionalEmbedding(8);
        var q = Tensor.Randn([1, 8], DType.Float64, new Generator(3));
        var k = Tensor.Randn([1, 8], DType.Float64, new Generator(4));
        double Score(int m, int n) => rope.Forward(q, m).MatMul(rope.Forward(k, n).T).Item();
        foreach (var (m, n, m2, n2) in new[] { (5, 2, 13, 10), (0, 7, 20, 27), (3, 3, 40, 40) })
            Assert.Equal(Score(m, n), Score(m2, n2), 10);
        Assert.NotEqual(Score(5, 2), Score(5, 3), 6);
        // A rotation keeps the norm, and position 0 is the identity.
        var r = rope.Forward(q, 17);
        Assert.Equal(q.Square().Sum().Item(), r.Square().Sum().Item(), 10);
        Assert.True(rope.Forward(q, 0).AllClose(q, 0, 1e-15));
    }

    [Fact]
    public void Rotary_UsesHalfRotationPairs_AndMatchesPerPositionCalls()
    {
        var rope = new RotaryPositionalEmbedding(4, @base: 100);
        // Position 1, features [x1 | x2] = [1, 0 | 0, 0]: feature 0 pairs with feature 2 at angle θ_0 = 1.
        var y = rope.Forward(Tensor.FromArray<double>([1, 0, 0, 0], [1, 4]), 1);
        Assert.Equal(Math.Cos(1), y[0, 0], 12);
        Assert.Equal(Math.Sin(1), y[0, 2], 12);
        var x = Tensor.Randn([2, 3, 5, 4], DType.Float64, new Generator(5));
        var all = rope.Forward(x, 2);
        for (int t = 0; t < 5; t++)
            Assert.True(rope.Forward(x.Narrow(2, t, 1), 2 + t).AllClose(all.Narrow(2, t, 1), 0, 1e-14));
        GradCheck.Assert(t => rope.Forward(t[0], 3), Tensor.Randn([2, 3, 4], DType.Float64, new Generator(6), requiresGrad: true));
    }
}
