using Nabla.NN;
using TorchSharp;
using DType = Nabla.Tensors.DType;
using Generator = Nabla.Tensors.Generator;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.NN;

/// <summary>Scaled dot-product attention and MultiheadAttention against libtorch's: outputs, averaged and per-head
/// weights, input gradients and parameter gradients, with TorchSharp's weights loaded into Nabla by state dict.</summary>
public sealed class AttentionParityTests
{
    private const double Tolerance = 1e-4;   // sums over keys and features in float32

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sdpa_MatchesTorch(bool causal) =>
        Parity.Assert([[2, 3, 5, 8], [2, 3, 6, 8], [2, 3, 6, 4]],
            x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], isCausal: causal),
            x => torch.nn.functional.scaled_dot_product_attention(x[0], x[1], x[2], is_casual: causal), Tolerance);

    [Fact]
    public void Sdpa_BoolMaskTrueTakesPart_AndFloatMask_MatchTorch()
    {
        bool[] keep = [true, false, true, true, true, false, true, true, false, true, true, true];
        var keepN = NablaTensor.FromArray<bool>(keep, [2, 1, 6]);
        Parity.Assert([[2, 4, 8], [2, 6, 8], [2, 6, 8]],
            x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], keepN),
            x => torch.nn.functional.scaled_dot_product_attention(x[0], x[1], x[2], TorchState.ToTorch(keepN)), Tolerance);
        Parity.Assert([[2, 4, 8], [2, 6, 8], [2, 6, 8], [4, 6]],
            x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], x[3]),
            x => torch.nn.functional.scaled_dot_product_attention(x[0], x[1], x[2], x[3]), Tolerance);
    }

    /// <summary>The query, key and value inputs [T, N, features] and their TorchSharp twins (requiring grad).</summary>
    private static (NablaTensor[] Nabla, torch.Tensor[] Torch) Inputs(int seed, params int[][] shapes)
    {
        var n = shapes.Select((s, i) => NablaTensor.Randn(s, generator: new Generator(seed + i)).RequiresGrad_()).ToArray();
        return (n, [.. n.Select(x => TorchState.ToTorch(x, requiresGrad: true))]);
    }

    public static TheoryData<string> MhaVariants => ["self-attention", "cross-attention", "kdim and vdim", "bias_kv and zero_attn"];

    [Theory, MemberData(nameof(MhaVariants))]
    public void MultiheadAttention_OutputsWeightsAndGradients_MatchTorch(string variant)
    {
        using var scope = torch.NewDisposeScope();
        const int e = 8, heads = 2, l = 4, n = 2;
        bool self = variant == "self-attention";
        // libtorch's C++ MultiheadAttention asserts key.sizes() == value.sizes(), so kdim = vdim here (the unit tests cover kdim ≠ vdim).
        int s = self ? l : 6, kdim = variant == "kdim and vdim" ? 5 : e, vdim = kdim;
        bool extra = variant == "bias_kv and zero_attn";
        var oracle = torch.nn.MultiheadAttention(e, heads, add_bias_kv: extra, add_zero_attn: extra, kdim: kdim, vdim: vdim);
        TorchState.Randomize(oracle, 100);
        var nabla = new MultiheadAttention(e, heads, addBiasKv: extra, addZeroAttn: extra, kdim: kdim, vdim: vdim);
        nabla.LoadStateDict(TorchState.StateDict(oracle), strict: true);

        var (x, xt) = self ? Inputs(1, [l, n, e]) : Inputs(1, [l, n, e], [s, n, kdim], [s, n, vdim]);
        var (q, k, v) = self ? (x[0], x[0], x[0]) : (x[0], x[1], x[2]);
        var (qt, kt, vt) = self ? (xt[0], xt[0], xt[0]) : (xt[0], xt[1], xt[2]);
        var padding = NablaTensor.FromArray<bool>([.. Enumerable.Range(0, n * s).Select(i => i == s - 1 || i == s + 1)], [n, s]);
        var mask = NablaTensor.Zeros([l, s]);
        mask.SetFromDouble(1, double.NegativeInfinity);   // query 0 may not see key 1
        mask.SetFromDouble(s + 2, double.NegativeInfinity);

        var (yt, wt) = oracle.call(qt, kt, vt, TorchState.ToTorch(padding), true, TorchState.ToTorch(mask));
        var r = nabla.Forward(q, k, v, padding, needWeights: true, attnMask: mask);
        Parity.Close(Parity.Doubles(yt), TorchState.Read(r.Output), Tolerance, $"{variant}: output");
        Parity.Close(Parity.Doubles(wt), TorchState.Read(r.Weights!), Tolerance, $"{variant}: averaged weights");

        // The loss reads the weights too, so the gradient runs through them as well as through the output.
        var up = NablaTensor.Randn(r.Output.Shape.ToArray(), generator: new Generator(50));
        var upW = NablaTensor.Randn(r.Weights!.Shape.ToArray(), generator: new Generator(51));
        r.Output.Mul(up).Sum().Add(r.Weights.Mul(upW).Sum()).Backward();
        (yt * TorchState.ToTorch(up)).sum().add((wt * TorchState.ToTorch(upW)).sum()).backward();
        for (int i = 0; i < x.Length; i++) Parity.Close(Parity.Doubles(xt[i].grad!), TorchState.Read(x[i].Grad!), Tolerance, $"{variant}: input {i} gradient");
        TorchState.AssertGradients(oracle.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter)), nabla, Tolerance);
    }

    [Fact]
    public void MultiheadAttention_FusedPathWithoutWeights_MatchesTorchGradients()
    {
        using var scope = torch.NewDisposeScope();
        var oracle = torch.nn.MultiheadAttention(16, 4);
        TorchState.Randomize(oracle, 200);
        var nabla = new MultiheadAttention(16, 4);
        nabla.LoadStateDict(TorchState.StateDict(oracle), strict: true);
        var (x, xt) = Inputs(10, [6, 3, 16]);
        var causal = Transformer.GenerateSquareSubsequentMask(6);
        var (yt, _) = oracle.call(xt[0], xt[0], xt[0], null, false, TorchState.ToTorch(causal));
        var y = nabla.Forward(x[0], x[0], x[0], needWeights: false, isCausal: true).Output;
        Parity.Close(Parity.Doubles(yt), TorchState.Read(y), Tolerance, "output");
        var up = NablaTensor.Randn([6, 3, 16], generator: new Generator(60));
        y.Mul(up).Sum().Backward();
        (yt * TorchState.ToTorch(up)).sum().backward();
        Parity.Close(Parity.Doubles(xt[0].grad!), TorchState.Read(x[0].Grad!), Tolerance, "input gradient");
        TorchState.AssertGradients(oracle.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter)), nabla, Tolerance);
    }

    [Fact]
    public void MultiheadAttention_PerHeadWeights_MatchTorchComposition()
    {
        using var scope = torch.NewDisposeScope();
        const int e = 8, heads = 2, d = 4, l = 3, s = 5, n = 2;
        var oracle = torch.nn.MultiheadAttention(e, heads);
        TorchState.Randomize(oracle, 300);
        var nabla = new MultiheadAttention(e, heads);
        var state = TorchState.StateDict(oracle);
        nabla.LoadStateDict(state, strict: true);
        var (x, xt) = Inputs(20, [l, n, e], [s, n, e]);
        var w = TorchState.ToTorch(state["in_proj_weight"]);
        var b = TorchState.ToTorch(state["in_proj_bias"]);
        // PyTorch's math: [T, N, E] → [N·H, T, d], scores scaled by 1/√d, softmax over keys.
        torch.Tensor Heads(torch.Tensor t, int role, int len) =>
            torch.nn.functional.linear(t, w.narrow(0, role * e, e), b.narrow(0, role * e, e)).reshape(len, n * heads, d).transpose(0, 1);
        var scores = torch.bmm(Heads(xt[0], 0, l), Heads(xt[1], 1, s).transpose(1, 2)) / Math.Sqrt(d);
        var expected = scores.softmax(-1).reshape(n, heads, l, s);
        var r = nabla.Forward(x[0], x[1], x[1], averageAttnWeights: false);
        Parity.Close(Parity.Doubles(expected), TorchState.Read(r.Weights!), Tolerance, "per-head weights");
    }

    [Fact]
    public void MultiheadAttention_StateDictFromTorch_HasTheSameNamesAndShapes()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var (oracle, nabla) in new (torch.nn.Module, Module)[]
        {
            (torch.nn.MultiheadAttention(12, 3), new MultiheadAttention(12, 3)),
            (torch.nn.MultiheadAttention(12, 3, bias: false, add_bias_kv: true), new MultiheadAttention(12, 3, bias: false, addBiasKv: true)),
            (torch.nn.MultiheadAttention(12, 3, kdim: 7, vdim: 5), new MultiheadAttention(12, 3, kdim: 7, vdim: 5)),   // names and shapes only
        })
        {
            var theirs = TorchState.StateDict(oracle);
            var ours = nabla.StateDict();
            Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
            foreach (var (key, t) in theirs) Assert.Equal(t.Shape, ours[key].Shape);
            nabla.LoadStateDict(theirs, strict: true);
        }
    }
}
