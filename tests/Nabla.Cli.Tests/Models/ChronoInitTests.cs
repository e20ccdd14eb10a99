using Nabla.Models;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Models;

/// <summary>Chrono initialization: which gate biases it sets, to what range, and what it leaves alone.</summary>
public sealed class ChronoInitTests
{
    [Fact]
    public void Lstm_ForgetBiasIsLogUniform_InputBiasItsNegative_AndTheRestUntouched()
    {
        var lstm = new LSTM(3, 16, numLayers: 2, bidirectional: true, generator: new Generator(1));
        var before = lstm.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<float>());
        ChronoInit.Apply(lstm, maxDependency: 50, new Generator(2));
        var after = lstm.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<float>());

        foreach (string suffix in new[] { "_l0", "_l0_reverse", "_l1", "_l1_reverse" })
        {
            float[] ih = after["bias_ih" + suffix], hh = after["bias_hh" + suffix];
            float[] forget = ih[16..32];
            Assert.All(forget, b => Assert.InRange(b, 0f, (float)Math.Log(49)));
            Assert.True(forget.Max() - forget.Min() > 1, "the memory times should spread over the range");
            Assert.Equal(forget.Select(b => -b), ih[..16]);                 // b_i = −b_f
            Assert.All(hh[..32], b => Assert.Equal(0, b));                  // b_hh's i and f blocks: zero
            Assert.Equal(before["bias_ih" + suffix][32..], ih[32..]);       // g and o: as initialized
            Assert.Equal(before["bias_hh" + suffix][32..], hh[32..]);
            Assert.Equal(before["weight_hh" + suffix], after["weight_hh" + suffix]);
        }
    }

    [Fact]
    public void Gru_SetsOnlyTheUpdateGateBias()
    {
        var gru = new GRU(3, 8, generator: new Generator(1));
        var before = gru.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<float>());
        ChronoInit.Apply(gru, maxDependency: 10, new Generator(2));
        float[] ih = gru.StateDict()["bias_ih_l0"].ToArray<float>(), hh = gru.StateDict()["bias_hh_l0"].ToArray<float>();

        Assert.All(ih[8..16], b => Assert.InRange(b, 0f, (float)Math.Log(9)));
        Assert.All(hh[8..16], b => Assert.Equal(0, b));
        Assert.Equal(before["bias_ih_l0"][..8], ih[..8]);     // r
        Assert.Equal(before["bias_ih_l0"][16..], ih[16..]);   // n
        Assert.Equal(before["bias_hh_l0"][16..], hh[16..]);
    }

    [Fact]
    public void Apply_IsReproducibleFromTheGenerator()
    {
        var a = new LSTM(2, 4, generator: new Generator(1));
        var b = new LSTM(2, 4, generator: new Generator(1));
        ChronoInit.Apply(a, 100, new Generator(5));
        ChronoInit.Apply(b, 100, new Generator(5));
        Assert.Equal(a.StateDict()["bias_ih_l0"].ToArray<float>(), b.StateDict()["bias_ih_l0"].ToArray<float>());
    }

    [Fact]
    public void Apply_RefusesAPlainRnnAndALayerWithoutBiases()
    {
        var rnn = Assert.Throws<ArgumentException>(() => ChronoInit.Apply(new RNN(2, 4), 10));
        Assert.Contains("RNN has no gates", rnn.Message, StringComparison.Ordinal);
        var noBias = Assert.Throws<ArgumentException>(() => ChronoInit.Apply(new GRU(2, 4, new RecurrentOptions(Bias: false)), 10));
        Assert.Contains("has no biases", noBias.Message, StringComparison.Ordinal);
    }
}
