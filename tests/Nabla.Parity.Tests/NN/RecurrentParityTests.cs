using Nabla.NN;
using TorchSharp;
using Generator = Nabla.Tensors.Generator;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.NN;

/// <summary>RNN, LSTM and GRU against libtorch's: the same weights (moved by state dict, so PyTorch's parameter names
/// and gate order must match), then outputs, final states and every gradient.</summary>
public sealed class RecurrentParityTests
{
    private const double Tolerance = 1e-4;   // a few float32 ulps compounded over the steps
    private const int Steps = 5, Batch = 3, InputSize = 4, HiddenSize = 6;

    public static TheoryData<string, int, bool, bool> Configurations()
    {
        var data = new TheoryData<string, int, bool, bool>();
        foreach (var kind in new[] { "rnn_tanh", "rnn_relu", "lstm", "gru" })
        {
            data.Add(kind, 1, false, false);
            data.Add(kind, 2, true, true);
            data.Add(kind, 2, false, true);
        }
        return data;
    }

    [Theory, MemberData(nameof(Configurations))]
    public void Layer_OutputsStatesAndGradients_MatchTorch(string kind, int layers, bool bidirectional, bool batchFirst) =>
        Compare(kind, layers, bidirectional, batchFirst, lengths: null, bias: true);

    [Theory]
    [InlineData("lstm", false)]
    [InlineData("lstm", true)]
    [InlineData("gru", true)]
    [InlineData("rnn_tanh", true)]
    public void PackedSequence_MatchesTorchPacking(string kind, bool batchFirst) =>
        Compare(kind, 2, bidirectional: true, batchFirst, lengths: [5, 3, 2], bias: true);

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void Layer_WithoutBias_MatchesTorch(string kind) => Compare(kind, 1, bidirectional: true, batchFirst: false, lengths: null, bias: false);

    private static void Compare(string kind, int layers, bool bidirectional, bool batchFirst, int[]? lengths, bool bias)
    {
        using var scope = torch.NewDisposeScope();
        int dirs = bidirectional ? 2 : 1;
        var options = new RecurrentOptions(layers, bias, batchFirst, 0, bidirectional);
        RecurrentLayer nabla = kind switch
        {
            "lstm" => new LSTM(InputSize, HiddenSize, options),
            "gru" => new GRU(InputSize, HiddenSize, options),
            _ => new RNN(InputSize, HiddenSize, options, kind == "rnn_relu" ? "relu" : "tanh"),
        };
        torch.nn.Module oracle = kind switch
        {
            "lstm" => torch.nn.LSTM(InputSize, HiddenSize, layers, bias, batchFirst, 0, bidirectional),
            "gru" => torch.nn.GRU(InputSize, HiddenSize, layers, bias, batchFirst, 0, bidirectional),
            _ => torch.nn.RNN(InputSize, HiddenSize, layers, kind == "rnn_relu" ? torch.nn.NonLinearities.ReLU : torch.nn.NonLinearities.Tanh, bias, batchFirst, 0, bidirectional),
        };
        // PyTorch's state dict loads with strict checking: same names, same shapes.
        var state = oracle.named_parameters().ToDictionary(p => p.name,
            p => NablaTensor.FromArray<float>(TorchOracle.Values(p.parameter), [.. p.parameter.shape.Select(d => (int)d)]));
        var load = nabla.LoadStateDict(state, strict: true);
        Assert.Empty(load.MissingKeys);

        int[] xShape = batchFirst ? [Batch, Steps, InputSize] : [Steps, Batch, InputSize];
        var x = NablaTensor.Randn(xShape, generator: new Generator(1)).Detach().RequiresGrad_();
        var h0 = NablaTensor.Randn([layers * dirs, Batch, HiddenSize], generator: new Generator(2)).Mul(0.5).Detach().RequiresGrad_();
        var c0 = NablaTensor.Randn([layers * dirs, Batch, HiddenSize], generator: new Generator(3)).Mul(0.5).Detach().RequiresGrad_();
        var xt = Torch(x, requiresGrad: true);
        var h0t = Torch(h0, requiresGrad: true);
        var c0t = Torch(c0, requiresGrad: true);

        NablaTensor output, hn, cn = c0;
        torch.Tensor outputT, hnT, cnT = c0t;
        if (kind == "lstm")
        {
            var lstm = (LSTM)nabla;
            var tl = (TorchSharp.Modules.LSTM)oracle;
            if (lengths is null)
            {
                (output, (hn, cn)) = lstm.Forward(x, (h0, c0));
                (outputT, hnT, cnT) = tl.forward(xt, (h0t, c0t));
            }
            else
            {
                var (packed, (h, c)) = lstm.Forward(RnnUtils.PackPaddedSequence(x, lengths, batchFirst), (h0, c0));
                (output, hn, cn) = (RnnUtils.PadPackedSequence(packed, batchFirst).Padded, h, c);
                var (packedT, ht, ct) = tl.call(torch.nn.utils.rnn.pack_padded_sequence(xt, torch.tensor(lengths.Select(l => (long)l).ToArray()), batchFirst), (h0t, c0t));
                (outputT, hnT, cnT) = (torch.nn.utils.rnn.pad_packed_sequence(packedT, batchFirst).Item1, ht, ct);
            }
        }
        else
        {
            Func<NablaTensor, NablaTensor, int[]?, (NablaTensor, NablaTensor)> run = nabla is GRU gru
                ? (a, b, l) => gru.Forward(a, b, l) : (a, b, l) => ((RNN)nabla).Forward(a, b, l);
            if (lengths is null)
            {
                (output, hn) = run(x, h0, null);
                (outputT, hnT) = oracle is TorchSharp.Modules.GRU tg ? tg.forward(xt, h0t) : ((TorchSharp.Modules.RNN)oracle).forward(xt, h0t);
            }
            else
            {
                var packedIn = RnnUtils.PackPaddedSequence(x, lengths, batchFirst);
                var (packed, h) = nabla is GRU g2 ? g2.Forward(packedIn, h0) : ((RNN)nabla).Forward(packedIn, h0);
                (output, hn) = (RnnUtils.PadPackedSequence(packed, batchFirst).Padded, h);
                var packedInT = torch.nn.utils.rnn.pack_padded_sequence(xt, torch.tensor(lengths.Select(l => (long)l).ToArray()), batchFirst);
                var (packedT, ht) = oracle is TorchSharp.Modules.GRU tg ? tg.call(packedInT, h0t) : ((TorchSharp.Modules.RNN)oracle).call(packedInT, h0t);
                (outputT, hnT) = (torch.nn.utils.rnn.pad_packed_sequence(packedT, batchFirst).Item1, ht);
            }
        }

        Assert.Equal(outputT.shape.Select(d => (int)d), output.Shape);
        Parity.Close(Parity.Doubles(outputT), Read(output), Tolerance, $"{kind}: output");
        Parity.Close(Parity.Doubles(hnT), Read(hn), Tolerance, $"{kind}: h_n");
        if (kind == "lstm") Parity.Close(Parity.Doubles(cnT), Read(cn), Tolerance, $"{kind}: c_n");

        // One loss over everything returned, with fixed random weights, so every path is exercised.
        var loss = Weighted(output, 11).Add(Weighted(hn, 12));
        var lossT = WeightedT(outputT, output, 11) + WeightedT(hnT, hn, 12);
        if (kind == "lstm") { loss = loss.Add(Weighted(cn, 13)); lossT += WeightedT(cnT, cn, 13); }
        loss.Backward();
        lossT.backward();

        Parity.Close(Parity.Doubles(xt.grad!), Read(x.Grad!), Tolerance, $"{kind}: input gradient");
        Parity.Close(Parity.Doubles(h0t.grad!), Read(h0.Grad!), Tolerance, $"{kind}: h0 gradient");
        if (kind == "lstm") Parity.Close(Parity.Doubles(c0t.grad!), Read(c0.Grad!), Tolerance, $"{kind}: c0 gradient");
        var grads = nabla.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad);
        foreach (var (name, p) in oracle.named_parameters())
            Parity.Close(Parity.Doubles(p.grad!), Read(grads[name]!), Tolerance, $"{kind}: {name} gradient");
    }

    [Fact]
    public void Cells_MatchTorch()
    {
        using var scope = torch.NewDisposeScope();
        var x = NablaTensor.Randn([Batch, InputSize], generator: new Generator(4)).Detach().RequiresGrad_();
        var h = NablaTensor.Randn([Batch, HiddenSize], generator: new Generator(5)).Detach().RequiresGrad_();
        var c = NablaTensor.Randn([Batch, HiddenSize], generator: new Generator(6)).Detach().RequiresGrad_();
        var (xt, ht, ct) = (Torch(x, true), Torch(h, true), Torch(c, true));

        var lstm = new LSTMCell(InputSize, HiddenSize);
        var lstmT = torch.nn.LSTMCell(InputSize, HiddenSize);
        Load(lstm, lstmT);
        var (h1, c1) = lstm.Forward(x, (h, c));
        var (h1t, c1t) = lstmT.forward(xt, (ht, ct));
        Parity.Close(Parity.Doubles(h1t), Read(h1), Tolerance, "LSTMCell h'");
        Parity.Close(Parity.Doubles(c1t), Read(c1), Tolerance, "LSTMCell c'");

        var gru = new GRUCell(InputSize, HiddenSize);
        var gruT = torch.nn.GRUCell(InputSize, HiddenSize);
        Load(gru, gruT);
        var h2 = gru.Forward(x, h);
        var h2t = gruT.forward(xt, ht);
        Parity.Close(Parity.Doubles(h2t), Read(h2), Tolerance, "GRUCell h'");

        var rnn = new RNNCell(InputSize, HiddenSize);
        var rnnT = torch.nn.RNNCell(InputSize, HiddenSize);
        Load(rnn, rnnT);
        var h3 = rnn.Forward(x, h);
        var h3t = rnnT.forward(xt, ht);
        Parity.Close(Parity.Doubles(h3t), Read(h3), Tolerance, "RNNCell h'");

        var loss = Weighted(h1, 1).Add(Weighted(c1, 2)).Add(Weighted(h2, 3)).Add(Weighted(h3, 4));
        var lossT = WeightedT(h1t, h1, 1) + WeightedT(c1t, c1, 2) + WeightedT(h2t, h2, 3) + WeightedT(h3t, h3, 4);
        loss.Backward();
        lossT.backward();
        Parity.Close(Parity.Doubles(xt.grad!), Read(x.Grad!), Tolerance, "cells: input gradient");
        Parity.Close(Parity.Doubles(ht.grad!), Read(h.Grad!), Tolerance, "cells: h gradient");
        Parity.Close(Parity.Doubles(ct.grad!), Read(c.Grad!), Tolerance, "cells: c gradient");
        foreach (var (nabla, oracle) in new (Module, torch.nn.Module)[] { (lstm, lstmT), (gru, gruT), (rnn, rnnT) })
        {
            var grads = nabla.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad);
            foreach (var (name, p) in oracle.named_parameters())
                Parity.Close(Parity.Doubles(p.grad!), Read(grads[name]!), Tolerance, $"{nabla.GetType().Name}: {name} gradient");
        }
    }

    [Fact]
    public void SafetensorsWrittenFromTorchWeights_LoadIntoNabla_AndGiveTorchsOutputs()
    {
        // The file is written here byte by byte in the safetensors format (8-byte little-endian header length,
        // JSON header of dtype/shape/data_offsets, raw little-endian data), as PyTorch's safetensors.torch.save_file
        // writes it, so the check does not go through Nabla's own writer.
        using var scope = torch.NewDisposeScope();
        var oracle = torch.nn.LSTM(InputSize, HiddenSize, 2, true, true, 0, true);
        string path = Path.Combine(Path.GetTempPath(), $"nabla-lstm-{Environment.ProcessId}.safetensors");
        var tensors = oracle.state_dict().Select(kv => (kv.Key, Values: TorchOracle.Values(kv.Value), Shape: kv.Value.shape)).ToList();
        var header = new System.Text.StringBuilder("{");
        long offset = 0;
        foreach (var (name, values, shape) in tensors)
        {
            header.Append($"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + 4L * values.Length}]}},");
            offset += 4L * values.Length;
        }
        header.Length--;
        header.Append('}');
        var headerBytes = System.Text.Encoding.UTF8.GetBytes(header.ToString());
        using (var file = new BinaryWriter(File.Create(path)))
        {
            file.Write((ulong)headerBytes.Length);
            file.Write(headerBytes);
            foreach (var (_, values, _) in tensors) foreach (float v in values) file.Write(v);
        }
        try
        {
            var nabla = new LSTM(InputSize, HiddenSize, numLayers: 2, batchFirst: true, bidirectional: true);
            Nabla.IO.Checkpoint.LoadInto(path, nabla);
            var x = NablaTensor.Randn([Batch, Steps, InputSize], generator: new Generator(9));
            var (y, (h, c)) = nabla.Forward(x);
            var (yt, ht, ct) = oracle.forward(Torch(x, false));
            Parity.Close(Parity.Doubles(yt), Read(y), Tolerance, "output");
            Parity.Close(Parity.Doubles(ht), Read(h), Tolerance, "h_n");
            Parity.Close(Parity.Doubles(ct), Read(c), Tolerance, "c_n");
        }
        finally { File.Delete(path); }
    }

    private static void Load(Module nabla, torch.nn.Module oracle)
    {
        var state = oracle.named_parameters().ToDictionary(p => p.name,
            p => NablaTensor.FromArray<float>(TorchOracle.Values(p.parameter), [.. p.parameter.shape.Select(d => (int)d)]));
        nabla.LoadStateDict(state, strict: true);
    }

    private static NablaTensor Weighted(NablaTensor y, int seed) =>
        y.Mul(NablaTensor.Randn([.. y.Shape], generator: new Generator(seed))).Sum();

    private static torch.Tensor WeightedT(torch.Tensor y, NablaTensor like, int seed) =>
        (y * Torch(NablaTensor.Randn([.. like.Shape], generator: new Generator(seed)), requiresGrad: false)).sum();

    private static torch.Tensor Torch(NablaTensor t, bool requiresGrad) =>
        TorchOracle.Tensor(t.Contiguous().ToArray<float>(), [.. t.Shape.Select(d => (long)d)], requiresGrad);

    private static double[] Read(NablaTensor t) => [.. t.Contiguous().ToArray<float>().Select(v => (double)v)];
}
