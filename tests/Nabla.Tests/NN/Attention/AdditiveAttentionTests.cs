using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

/// <summary>Bahdanau attention: the formula, masking, per-step and all-steps queries, and the projected-keys shortcut.</summary>
public sealed class AdditiveAttentionTests
{
    private static Tensor Rand(int[] shape, int seed) => Tensor.Randn(shape, generator: new Generator(seed));

    [Fact]
    public void Forward_ComputesVTanhScores_AndTheWeightedSumOfValues()
    {
        var att = new AdditiveAttention(queryDim: 3, keyDim: 4, hiddenDim: 5, generator: new Generator(1));
        Assert.Equal(["v", "query_proj.weight", "key_proj.weight", "key_proj.bias"], att.StateDict().Keys);
        var q = Rand([2, 3], 2);
        var keys = Rand([2, 6, 4], 3);
        var values = Rand([2, 6, 7], 4);
        var (context, weights) = att.Forward(q, keys, values);
        Assert.Equal([2, 7], context.Shape);
        Assert.Equal([2, 6], weights!.Shape);
        for (int b = 0; b < 2; b++)
        {
            // e_j = vᵀ tanh(W_q q + W_k k_j + b), softmax over j, context = Σ_j α_j v_j.
            var e = new double[6];
            for (int j = 0; j < 6; j++)
                e[j] = att.QueryProj.Call(q.Select(0, b)).Add(att.KeyProj.Call(keys.Select(0, b).Select(0, j))).Tanh().Mul(att.V).Sum().Item();
            double max = e.Max(), sum = e.Sum(x => Math.Exp(x - max));
            for (int j = 0; j < 6; j++) Assert.Equal(Math.Exp(e[j] - max) / sum, weights[b, j], 5);
            for (int c = 0; c < 7; c++)
                Assert.Equal(Enumerable.Range(0, 6).Sum(j => weights[b, j] * values[b, j, c]), context[b, c], 5);
        }
    }

    [Fact]
    public void KeyPaddingMask_ZeroesPaddedWeights_AndTheirValuesNeverMatter()
    {
        var att = new AdditiveAttention(4, 4, 8, generator: new Generator(5));
        var q = Rand([2, 4], 6);
        var enc = Rand([2, 5, 4], 7);
        var padding = Tensor.FromArray<bool>([false, false, false, true, true, false, false, false, false, false], [2, 5]);
        var r = att.Forward(q, enc, keyPaddingMask: padding);
        Assert.Equal(0, r.Weights![0, 3]);
        Assert.Equal(0, r.Weights[0, 4]);
        var enc2 = enc.Clone();
        enc2.Select(0, 0).Narrow(0, 3, 2).Fill_(1e3);
        Assert.True(att.Forward(q, enc2, keyPaddingMask: padding).Output.Select(0, 0).AllClose(r.Output.Select(0, 0), 0, 0));
    }

    [Fact]
    public void AllStepsQuery_EqualsOneCallPerStep_AndProjectedKeysAreReusable()
    {
        var att = new AdditiveAttention(3, 4, 6, generator: new Generator(8));
        var enc = Rand([2, 5, 4], 9);
        var states = Rand([2, 3, 3], 10);
        var projected = att.ProjectKeys(enc);
        var all = att.Forward(states, enc, projectedKeys: projected);
        Assert.Equal([2, 3, 4], all.Output.Shape);
        Assert.Equal([2, 3, 5], all.Weights!.Shape);
        for (int t = 0; t < 3; t++)
        {
            var step = att.Forward(states.Select(1, t), enc);
            Assert.True(step.Output.AllClose(all.Output.Select(1, t), 1e-5, 1e-6));
            Assert.True(step.Weights!.AllClose(all.Weights.Select(1, t), 1e-5, 1e-6));
        }
    }

    [Fact]
    public void Backward_ReachesEveryParameter()
    {
        var att = new AdditiveAttention(3, 4, 6, generator: new Generator(11));
        var q = Tensor.Randn([2, 3], generator: new Generator(12), requiresGrad: true);
        att.Forward(q, Rand([2, 5, 4], 13)).Output.Sum().Backward();
        Assert.All(att.Parameters(), p => Assert.True(p.Grad!.Abs().Sum().Item() > 0));
        Assert.True(q.Grad!.Abs().Sum().Item() > 0);
    }
}
