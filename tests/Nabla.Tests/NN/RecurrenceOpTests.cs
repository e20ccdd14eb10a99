using Nabla.Autograd;
using Nabla.Autograd.Ops;
using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.Tests.NN;

/// <summary>The fused recurrence against finite differences and against a step-by-step composition of tensor ops.</summary>
public sealed class RecurrenceOpTests
{
    private const int Steps = 4, Batch = 3, Hidden = 3;

    // Cell kinds by name: CellKind is internal, and xunit theories must be public.
    public static TheoryData<string, bool, bool, bool> Configurations()
    {
        var data = new TheoryData<string, bool, bool, bool>();
        foreach (var kind in Enum.GetNames<CellKind>())
            foreach (bool reverse in new[] { false, true })
                foreach (bool lengths in new[] { false, true })
                    data.Add(kind, reverse, lengths, !lengths || reverse);   // bias off in one configuration per kind
        return data;
    }

    private static Tensor Random(int[] shape, int seed, double scale = 0.6) =>
        Tensor.Randn(shape, DType.Float64, new Generator(seed)).Mul(scale).Detach().RequiresGrad_();

    private static Tensor[] Inputs(CellKind kind, bool bias)
    {
        int g = kind.GateCount() * Hidden;
        var list = new List<Tensor> { Random([Steps, Batch, g], 1, 1.0), Random([g, Hidden], 2), };
        if (bias) list.Add(Random([g], 3));
        list.Add(Random([Batch, Hidden], 4));
        if (kind == CellKind.Lstm) list.Add(Random([Batch, Hidden], 5));
        return [.. list];
    }

    private static Tensor Apply(CellKind kind, bool bias, Tensor[] x, int[]? lengths, bool reverse)
    {
        int i = 2;
        var b = bias ? x[i++] : null;
        var h0 = x[i++];
        var c0 = kind == CellKind.Lstm ? x[i] : null;
        return RecurrenceOp.Apply("test", kind, x[0], x[1], b, h0, c0, lengths, reverse);
    }

    [Theory, MemberData(nameof(Configurations))]
    public void Recurrence_Gradients_MatchFiniteDifferences(string kindName, bool reverse, bool withLengths, bool bias)
    {
        var kind = Enum.Parse<CellKind>(kindName);
        int[]? lengths = withLengths ? [4, 1, 2] : null;
        var inputs = Inputs(kind, bias);
        if (kind == CellKind.RnnRelu) inputs[0] = inputs[0].Detach().Add(0.05).Detach().RequiresGrad_();   // keep pre-activations off the kink
        GradCheck.Assert(x => Apply(kind, bias, x, lengths, reverse), inputs);
    }

    [Theory, MemberData(nameof(Configurations))]
    public void Recurrence_MatchesAStepByStepComposition(string kindName, bool reverse, bool withLengths, bool bias)
    {
        var kind = Enum.Parse<CellKind>(kindName);
        int[]? lengths = withLengths ? [4, 1, 2] : null;
        var x = Inputs(kind, bias);
        var fused = Apply(kind, bias, x, lengths, reverse);
        var reference = Reference(kind, bias, x, lengths, reverse);
        Assert.Equal(fused.Shape, reference.Shape);
        Assert.True(fused.AllClose(reference, 1e-12, 1e-12), "fused recurrence differs from the composition");
    }

    [Fact]
    public void Recurrence_PaddedInputs_NeverReachTheResult_NorReceiveGradient()
    {
        int[] lengths = [4, 2, 1];
        var x = Inputs(CellKind.Lstm, bias: true);
        var y1 = Apply(CellKind.Lstm, true, x, lengths, reverse: true);
        var noisy = x.ToArray();
        var delta = new double[Steps * Batch * 12];
        delta[(3 * Batch + 1) * 12 + 0] = 100.0;   // a padded step of sequence 1
        delta[(1 * Batch + 2) * 12 + 5] = -50.0;   // a padded step of sequence 2
        noisy[0] = x[0].Detach().Add(Tensor.FromArray(delta, [Steps, Batch, 12])).Detach().RequiresGrad_();
        var y2 = Apply(CellKind.Lstm, true, noisy, lengths, reverse: true);
        Assert.True(y1.AllClose(y2, 0, 0));
        y2.Sum().Backward();
        var g = noisy[0].Grad!;
        for (int j = 0; j < 12; j++)
        {
            Assert.Equal(0.0, g[3, 1, j]);
            Assert.Equal(0.0, g[2, 1, j]);
            Assert.Equal(0.0, g[1, 2, j]);
        }
        Assert.NotEqual(0.0, g[1, 1, 0]);
    }

    [Fact]
    public void Recurrence_RejectsWrongShapesAndLengths_NamingTheOperation()
    {
        var x = Inputs(CellKind.Gru, bias: true);
        var e = Assert.ThrowsAny<Exception>(() => RecurrenceOp.Apply("GRU", CellKind.Gru, x[0], x[1], x[2], Tensor.Zeros([2, Hidden], DType.Float64), null, null, false));
        Assert.Contains("GRU", e.Message);
        Assert.Contains("h0", e.Message);
        e = Assert.ThrowsAny<Exception>(() => RecurrenceOp.Apply("GRU", CellKind.Gru, x[0], x[1], x[2], x[3], null, [4, 5, 1], false));
        Assert.Contains("length 5", e.Message);
        e = Assert.ThrowsAny<Exception>(() => RecurrenceOp.Apply("LSTM", CellKind.Lstm, Tensor.Zeros([2, 3, 12], DType.Float64), Tensor.Zeros([12, 3], DType.Float64), null, Tensor.Zeros([3, 3], DType.Float64), null, null, false));
        Assert.Contains("c0", e.Message);
    }

    /// <summary>The same recurrence written with ordinary tensor ops, one step at a time.</summary>
    private static Tensor Reference(CellKind kind, bool bias, Tensor[] x, int[]? lengths, bool reverse)
    {
        int i = 2;
        var b = bias ? x[i++] : null;
        var h = x[i++];
        var c = kind == CellKind.Lstm ? x[i] : null;
        var xp = x[0];
        var w = x[1];
        var outputs = new Tensor[Steps];
        for (int k = 0; k < Steps; k++)
        {
            int t = reverse ? Steps - 1 - k : k;
            var hh = h.MatMul(w.T);
            if (b is not null) hh = hh.Add(b);
            var a = xp.Select(0, t);
            Tensor hNew, cNew = c!;
            switch (kind)
            {
                case CellKind.RnnTanh: hNew = a.Add(hh).Tanh(); break;
                case CellKind.RnnRelu: hNew = a.Add(hh).Relu(); break;
                case CellKind.Lstm:
                    var gates = a.Add(hh).Chunk(4, 1);
                    var (ig, fg, gg, og) = (gates[0].Sigmoid(), gates[1].Sigmoid(), gates[2].Tanh(), gates[3].Sigmoid());
                    cNew = fg.Mul(c!).Add(ig.Mul(gg));
                    hNew = og.Mul(cNew.Tanh());
                    break;
                default:
                    var xs = a.Chunk(3, 1);
                    var hs = hh.Chunk(3, 1);
                    var r = xs[0].Add(hs[0]).Sigmoid();
                    var z = xs[1].Add(hs[1]).Sigmoid();
                    var n = xs[2].Add(r.Mul(hs[2])).Tanh();
                    hNew = n.Add(z.Mul(h.Sub(n)));
                    break;
            }
            var active = Tensor.FromArray(Enumerable.Range(0, Batch).Select(bb => lengths is null || t < lengths[bb] ? 1.0 : 0.0).ToArray(), [Batch, 1]);
            h = hNew.Mul(active).Add(h.Mul(active.Neg().Add(1)));
            if (c is not null) c = cNew.Mul(active).Add(c.Mul(active.Neg().Add(1)));
            var state = c is null ? h : Tensor.Cat([h, c], 1);
            outputs[t] = state.Mul(active);
        }
        var final = c is null ? h : Tensor.Cat([h, c], 1);
        return Tensor.Stack([.. outputs, final], 0);
    }
}
