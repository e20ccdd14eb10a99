using Nabla.NN;
using Nabla.Optim;
using TorchSharp;
using DType = Nabla.Tensors.DType;
using Generator = Nabla.Tensors.Generator;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.NN;

/// <summary>A 784-64-10 MLP in Nabla and the same weights in a TorchSharp model: one cross-entropy training step
/// compared through the loss, every parameter's gradient, and the parameters after Adam and SGD-momentum steps.</summary>
public sealed class LinearParityTests
{
    private const int Batch = 32;

    private static Sequential NablaMlp() => new(
        new Linear(784, 64, generator: new Generator(1)),
        new ReLU(),
        new Linear(64, 10, generator: new Generator(2)));

    /// <summary>The TorchSharp twin with Nabla's weights copied in; its parameter names must be Nabla's state-dict keys.</summary>
    private static torch.nn.Module<torch.Tensor, torch.Tensor> TorchMlp(Sequential nabla)
    {
        var model = torch.nn.Sequential(
            ("0", torch.nn.Linear(784, 64)),
            ("1", torch.nn.ReLU()),
            ("2", torch.nn.Linear(64, 10)));
        var state = nabla.StateDict();
        using (torch.no_grad())
        {
            foreach (var (name, p) in model.named_parameters())
            {
                var source = state[name];
                p.copy_(TorchOracle.Tensor(source.ToArray<float>(), [.. source.Shape.Select(d => (long)d)]));
            }
        }
        return model;
    }

    private static (float[] X, long[] Y) Data()
    {
        var x = NablaTensor.Randn([Batch, 784], generator: new Generator(3)).ToArray<float>();
        var y = NablaTensor.RandInt(0, 10, [Batch], generator: new Generator(4)).ToArray<long>();
        return (x, y);
    }

    /// <summary>One forward and backward in both; returns the two losses.</summary>
    private static (double Nabla, double Torch) LossAndBackward(Sequential nabla, torch.nn.Module<torch.Tensor, torch.Tensor> oracle)
    {
        var (x, y) = Data();
        var ln = Functional.CrossEntropy(nabla.Call(NablaTensor.FromArray<float>(x, [Batch, 784])), NablaTensor.FromArray<long>(y, [Batch]));
        var lt = torch.nn.functional.cross_entropy(oracle.call(TorchOracle.Tensor(x, [Batch, 784])), torch.tensor(y, [Batch]));
        ln.Backward();
        lt.backward();
        return (ln.Item(), lt.item<float>());
    }

    /// <summary>|nabla − torch| ≤ 1e-4·|torch| + 1e-5·max|torch| for each parameter (or its gradient).</summary>
    private static void AssertParametersClose(Sequential nabla, torch.nn.Module<torch.Tensor, torch.Tensor> oracle, bool gradients, string when)
    {
        var own = nabla.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        var names = new List<string>();
        foreach (var (name, p) in oracle.named_parameters())
        {
            names.Add(name);
            var expected = Parity.Doubles(gradients ? p.grad! : p);   // grad set by backward
            var actual = (gradients ? own[name].Grad! : own[name]).ToArray<float>();
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * Math.Abs(expected[i]) + 1e-5 * scale,
                    $"{when}: {(gradients ? "gradient of " : "")}{name}[{i}]: torch {expected[i]:R}, nabla {actual[i]:R}");
        }
        Assert.Equal(own.Keys.Order(), names.Order());
    }

    [Fact]
    public void Mlp_LossAndEveryParameterGradient_MatchTorch()
    {
        using var scope = torch.NewDisposeScope();
        var nabla = NablaMlp();
        var oracle = TorchMlp(nabla);

        var (ln, lt) = LossAndBackward(nabla, oracle);

        Assert.Equal(lt, ln, 1e-5 * Math.Abs(lt));
        AssertParametersClose(nabla, oracle, gradients: true, "after backward");
    }

    [Fact]
    public void Mlp_AdamSteps_MatchTorch()
    {
        using var scope = torch.NewDisposeScope();
        var nabla = NablaMlp();
        var oracle = TorchMlp(nabla);
        var adamN = new Adam(nabla.Parameters(), lr: 1e-3);
        var adamT = torch.optim.Adam(oracle.parameters(), lr: 1e-3);

        for (int step = 1; step <= 2; step++)
        {
            adamN.ZeroGrad();
            adamT.zero_grad();
            LossAndBackward(nabla, oracle);
            adamN.Step();
            adamT.step();
            AssertParametersClose(nabla, oracle, gradients: false, $"after Adam step {step}");
        }
    }

    [Fact]
    public void Mlp_SgdMomentumSteps_MatchTorch()
    {
        using var scope = torch.NewDisposeScope();
        var nabla = NablaMlp();
        var oracle = TorchMlp(nabla);
        var sgdN = new Sgd(nabla.Parameters(), lr: 0.1, momentum: 0.9);
        var sgdT = torch.optim.SGD(oracle.parameters(), 0.1, momentum: 0.9);

        for (int step = 1; step <= 2; step++)
        {
            sgdN.ZeroGrad();
            sgdT.zero_grad();
            LossAndBackward(nabla, oracle);
            sgdN.Step();
            sgdT.step();
            AssertParametersClose(nabla, oracle, gradients: false, $"after SGD step {step}");
        }
    }

    [Fact]
    public void LinearDefaultInit_HasTheSameDistributionAsTorch()
    {
        using var scope = torch.NewDisposeScope();
        const int fanIn = 400, fanOut = 500;
        torch.manual_seed(5);
        var t = torch.nn.Linear(fanIn, fanOut);
        var n = new Linear(fanIn, fanOut, generator: new Generator(5));
        double bound = 1 / Math.Sqrt(fanIn);

        var wt = Parity.Doubles(t.weight!).Order().ToArray();   // Linear always has a weight
        var wn = n.Weight.ToArray<float>().Select(v => (double)v).Order().ToArray();
        var bt = Parity.Doubles(t.bias!);
        var bn = n.Bias!.ToArray<float>().Select(v => (double)v).ToArray();

        // Both U(−1/√fan_in, 1/√fan_in) for weight and bias.
        Assert.All(wt.Concat(bt).Concat(wn).Concat(bn), v => Assert.InRange(v, -bound, bound));
        // Deciles of 200,000 samples: standard error ≈ 1.3e-3·bound each; allow 5σ for the difference of two.
        for (int q = 1; q < 10; q++)
        {
            int k = q * wt.Length / 10;
            Assert.True(Math.Abs(wt[k] - wn[k]) < 0.01 * bound, $"decile {q}: torch {wt[k]}, nabla {wn[k]}");
        }
        // Variance a²/3 of U(−a, a); its standard error is a²·√(4/45n): 5σ of the difference of two estimates.
        Assert.Equal(Variance(wt), Variance(wn), 5 * Math.Sqrt(2 * 4.0 / 45 / wt.Length) * bound * bound);
        Assert.Equal(Variance(bt), Variance(bn), 5 * Math.Sqrt(2 * 4.0 / 45 / bt.Length) * bound * bound);
        Assert.Equal(bound * bound / 3, Variance(wt), 5 * Math.Sqrt(4.0 / 45 / wt.Length) * bound * bound);
    }

    private static double Variance(double[] v)
    {
        double mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
    }

    [Fact]
    public void Mlp_StateDictKeys_AreTorchsParameterNames()
    {
        using var scope = torch.NewDisposeScope();
        var nabla = NablaMlp();

        var oracle = TorchMlp(nabla);

        Assert.Equal(oracle.named_parameters().Select(p => p.name), nabla.StateDict().Keys);
        Assert.Equal(DType.Float32, nabla.StateDict()["0.weight"].DType);
    }
}
