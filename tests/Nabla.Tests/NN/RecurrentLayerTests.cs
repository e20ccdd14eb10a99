using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

/// <summary>RNN, LSTM, GRU and their cells: PyTorch's parameter names and shapes, the input and state layouts,
/// variable lengths, dropout between layers and the errors for bad input.</summary>
public sealed class RecurrentLayerTests
{
    [Fact]
    public void Lstm_HasPyTorchsParameterNamesShapesAndInitRange()
    {
        var lstm = new LSTM(5, 4, numLayers: 2, bidirectional: true, generator: new Generator(1));
        var shapes = lstm.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape.ToArray());
        string[] expected =
        [
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
            "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
        ];
        Assert.Equal(expected, lstm.NamedParameters().Select(p => p.Name));
        Assert.Equal([16, 5], shapes["weight_ih_l0"]);
        Assert.Equal([16, 8], shapes["weight_ih_l1_reverse"]);   // layer 1 reads both directions of layer 0
        Assert.Equal([16, 4], shapes["weight_hh_l1"]);
        Assert.Equal([16], shapes["bias_hh_l0_reverse"]);
        var all = lstm.Parameters().SelectMany(p => p.ToArray<float>()).ToArray();
        Assert.All(all, v => Assert.InRange(v, -0.5f, 0.5f));   // U(−1/√4, 1/√4)
        Assert.True(all.Max() > 0.49f && all.Min() < -0.49f, "drawn over the whole range");
        Assert.InRange(all.Average(), -0.03, 0.03);
        Assert.Equal([3 * 4, 6], new GRU(6, 4).NamedParameters().First().Parameter.Shape.ToArray());
        Assert.Equal(["weight_ih_l0", "weight_hh_l0"], new RNN(6, 4, numLayers: 1, bias: false).NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Shapes_FollowBatchFirstAndUnbatchedInput()
    {
        var gru = new GRU(3, 5, numLayers: 2, batchFirst: true, bidirectional: true);
        var (output, h) = gru.Forward(Tensor.Randn([4, 7, 3]));
        Assert.Equal([4, 7, 10], output.Shape);
        Assert.Equal([4, 4, 5], h.Shape);
        var (single, hs) = gru.Forward(Tensor.Randn([7, 3]));
        Assert.Equal([7, 10], single.Shape);
        Assert.Equal([4, 5], hs.Shape);

        var lstm = new LSTM(3, 5);
        var (y, (hn, cn)) = lstm.Forward(Tensor.Randn([6, 2, 3]));
        Assert.Equal([6, 2, 5], y.Shape);
        Assert.Equal([1, 2, 5], hn.Shape);
        Assert.Equal([1, 2, 5], cn.Shape);
        // The last output step of a one-directional network is its final hidden state.
        Assert.True(y.Select(0, 5).AllClose(hn.Select(0, 0), 0, 0));
    }

    [Fact]
    public void UnbatchedInput_EqualsABatchOfOne()
    {
        var rnn = new RNN(3, 4, numLayers: 2, generator: new Generator(2));
        var x = Tensor.Randn([5, 3], generator: new Generator(3));
        var (y1, h1) = rnn.Forward(x);
        var (y2, h2) = rnn.Forward(x.Unsqueeze(1));
        Assert.True(y1.AllClose(y2.Squeeze(1), 0, 0));
        Assert.True(h1.AllClose(h2.Squeeze(1), 0, 0));
    }

    [Fact]
    public void Lengths_GiveEachSequenceTheResultOfRunningItAlone()
    {
        var lstm = new LSTM(2, 3, numLayers: 2, batchFirst: true, bidirectional: true, generator: new Generator(4));
        var x = Tensor.Randn([3, 6, 2], generator: new Generator(5));
        int[] lengths = [6, 2, 4];
        var (y, (h, c)) = lstm.Forward(x, null, lengths);
        for (int b = 0; b < 3; b++)
        {
            var alone = x.Select(0, b).Narrow(0, 0, lengths[b]).Unsqueeze(0);
            var (ya, (ha, ca)) = lstm.Forward(alone);
            Assert.True(y.Select(0, b).Narrow(0, 0, lengths[b]).AllClose(ya.Squeeze(0), 1e-5, 1e-6), $"output of sequence {b}");
            Assert.True(h.Select(1, b).AllClose(ha.Select(1, 0), 1e-5, 1e-6), $"h_n of sequence {b}");
            Assert.True(c.Select(1, b).AllClose(ca.Select(1, 0), 1e-5, 1e-6), $"c_n of sequence {b}");
            if (lengths[b] < 6) Assert.Equal(0.0, y.Select(0, b).Narrow(0, lengths[b], 6 - lengths[b]).Abs().Sum().Item<float>());
        }
    }

    [Fact]
    public void PackedSequence_RoundTripsAndExposesPyTorchsPackedLayout()
    {
        var a = Tensor.FromArray<float>([1, 2, 3], [3, 1]);
        var b = Tensor.FromArray<float>([4, 5], [2, 1]);
        var c = Tensor.FromArray<float>([6], [1, 1]);
        var packed = RnnUtils.PackSequence([a, b, c]);
        Assert.Equal([1f, 4, 6, 2, 5, 3], packed.Data.ToArray<float>());
        Assert.Equal([3L, 2, 1], packed.BatchSizes.ToArray<long>());
        var (padded, lengths) = RnnUtils.PadPackedSequence(packed, batchFirst: true, paddingValue: -1);
        Assert.Equal([1f, 2, 3, 4, 5, -1, 6, -1, -1], padded.ToArray<float>());
        Assert.Equal([3L, 2, 1], lengths.ToArray<long>());
        var e = Assert.Throws<ArgumentException>(() => RnnUtils.PackPaddedSequence(Tensor.Zeros([3, 2, 1]), [1, 3]));
        Assert.Contains("decreasing", e.Message);
        Assert.Equal([[true, true, false], [true, false, false]], ToRows(RnnUtils.Mask([2, 1], 3)));
    }

    [Fact]
    public void DropoutBetweenLayers_ActsOnlyWhileTraining_AndIsSeeded()
    {
        LSTM Make() => new(3, 8, numLayers: 2, dropout: 0.5, generator: new Generator(6));
        var x = Tensor.Randn([4, 2, 3], generator: new Generator(7));
        var (train1, _) = Make().Forward(x);
        var (train2, _) = Make().Forward(x);
        Assert.True(train1.AllClose(train2, 0, 0), "same seed, same dropout mask");
        var model = Make();
        model.Eval();
        var (eval, _) = model.Forward(x);
        Assert.False(train1.AllClose(eval, 1e-3, 1e-4), "dropout changed the training output");
        var plain = new LSTM(3, 8, numLayers: 2, generator: new Generator(6));
        plain.LoadStateDict(model.StateDict());
        Assert.True(plain.Forward(x).Output.AllClose(eval, 0, 0));
    }

    [Fact]
    public void Cells_EqualOneStepOfTheirLayer()
    {
        var x = Tensor.Randn([2, 3], generator: new Generator(8));
        var h = Tensor.Randn([2, 4], generator: new Generator(9));
        var c = Tensor.Randn([2, 4], generator: new Generator(10));

        var lstmCell = new LSTMCell(3, 4, generator: new Generator(11));
        var lstm = new LSTM(3, 4);
        lstm.LoadStateDict(Renamed(lstmCell));
        var (hc, cc) = lstmCell.Forward(x, (h, c));
        var (_, (hl, cl)) = lstm.Forward(x.Unsqueeze(0), (h.Unsqueeze(0), c.Unsqueeze(0)));
        Assert.True(hc.AllClose(hl.Squeeze(0), 0, 0));
        Assert.True(cc.AllClose(cl.Squeeze(0), 0, 0));

        var gruCell = new GRUCell(3, 4, generator: new Generator(12));
        var gru = new GRU(3, 4);
        gru.LoadStateDict(Renamed(gruCell));
        Assert.True(gruCell.Forward(x, h).AllClose(gru.Forward(x.Unsqueeze(0), h.Unsqueeze(0)).Hidden.Squeeze(0), 0, 0));

        var rnnCell = new RNNCell(3, 4, nonlinearity: "relu", generator: new Generator(13));
        Assert.Equal([4], rnnCell.Forward(Tensor.Randn([3])).Shape);
        Assert.True(rnnCell.Forward(x).Min().Item<float>() >= 0);
    }

    [Fact]
    public void BadInput_IsRefusedWithTheLayerAndShapes()
    {
        var lstm = new LSTM(3, 4, numLayers: 2);
        var e = Assert.ThrowsAny<Exception>(() => lstm.Forward(Tensor.Zeros([5, 2, 7])));
        Assert.Contains("LSTM", e.Message);
        Assert.Contains("[5, 2, 7]", e.Message);
        e = Assert.ThrowsAny<Exception>(() => lstm.Forward(Tensor.Zeros([5, 2, 3]), (Tensor.Zeros([1, 2, 4]), Tensor.Zeros([2, 2, 4]))));
        Assert.Contains("h0", e.Message);
        Assert.Contains("[2, 2, 4]", e.Message);
        e = Assert.ThrowsAny<Exception>(() => lstm.Forward(Tensor.Zeros([5, 2, 3]), null, [5, 9]));
        Assert.Contains("length 9", e.Message);
        e = Assert.ThrowsAny<Exception>(() => new GRU(3, 0));
        Assert.Contains("hidden_size", e.Message);
        e = Assert.ThrowsAny<Exception>(() => new RNN(3, 4, nonlinearity: "sigmoid"));
        Assert.Contains("'tanh' or 'relu'", e.Message);
        e = Assert.ThrowsAny<Exception>(() => new GRUCell(3, 4).Forward(Tensor.Zeros([2, 3]), Tensor.Zeros([3, 4])));
        Assert.Contains("hx", e.Message);
    }

    [Fact]
    public void Lstm_LearnsToRecallTheFirstSymbol()
    {
        // Sequences of 12 random ±1 values; the target is the sign of the first. A plain tanh RNN of this size
        // struggles at such a distance; an LSTM solves it within a few hundred steps.
        var gen = new Generator(14);
        var lstm = new LSTM(1, 16, generator: new Generator(15));
        var head = new Linear(16, 2, generator: new Generator(16));
        var parameters = lstm.Parameters().Concat(head.Parameters()).ToList();
        var opt = new Nabla.Optim.Adam(parameters, lr: 0.01);
        double accuracy = 0;
        for (int step = 0; step < 300 && accuracy < 0.99; step++)
        {
            var x = Tensor.RandInt(0, 2, [12, 32, 1], generator: gen).To(DType.Float32).Mul(2).Sub(1);
            var y = x.Select(0, 0).Squeeze(1).Gt(0).To(DType.Int64);
            var (output, _) = lstm.Forward(x);
            var logits = head.Call(output.Select(0, 11));
            var loss = Functional.CrossEntropy(logits, y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
            accuracy = logits.ArgMax(1).Eq(y).To(DType.Float32).Mean().Item<float>();
        }
        Assert.True(accuracy >= 0.99, $"accuracy {accuracy}");
    }

    private static Dictionary<string, Tensor> Renamed(Module cell) =>
        cell.StateDict().ToDictionary(p => p.Key + "_l0", p => p.Value);

    private static bool[][] ToRows(Tensor mask)
    {
        var values = mask.ToArray<bool>();
        int cols = mask.Shape[1];
        return [.. Enumerable.Range(0, mask.Shape[0]).Select(r => values.Skip(r * cols).Take(cols).ToArray())];
    }
}
