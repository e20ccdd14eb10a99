using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.Optim;

/// <summary>Three optimizer steps on a tiny parameter with fixed gradients, against the update formulas of
/// torch.optim.SGD and torch.optim.Adam written out in double.</summary>
public sealed class OptimizerTests
{
    private static readonly double[] P0 = [1.0, -2.0, 0.5];

    // One gradient per step; the first component shrinks sharply after step 1, so AMSGrad's running max matters.
    private static readonly double[][] Grads = [[3, -1, 0.5], [0.1, 0.2, -2], [0.1, -0.3, 1]];

    private static Parameter Param(double[] values, DType dtype = DType.Float64) =>
        new(dtype == DType.Float64 ? Tensor.FromArray<double>(values) : Tensor.FromArray<float>(Array.ConvertAll(values, v => (float)v)));

    private static void SetGrad(Parameter p, double[] g) =>
        p.Grad = p.DType == DType.Float64 ? Tensor.FromArray<double>(g) : Tensor.FromArray<float>(Array.ConvertAll(g, v => (float)v));

    private static double[] Values(Tensor t) => t.DType == DType.Float64 ? t.ToArray<double>() : Array.ConvertAll(t.ToArray<float>(), v => (double)v);

    // ---- SGD ----

    public static TheoryData<string> SgdVariants => ["plain", "momentum", "dampening", "nesterov", "weight decay", "momentum + weight decay", "nesterov + weight decay", "maximize"];

    private static SgdOptions SgdOptionsFor(string variant) => variant switch
    {
        "plain" => new SgdOptions { LearningRate = 0.1 },
        "momentum" => new SgdOptions { LearningRate = 0.1, Momentum = 0.9 },
        "dampening" => new SgdOptions { LearningRate = 0.1, Momentum = 0.9, Dampening = 0.3 },
        "nesterov" => new SgdOptions { LearningRate = 0.1, Momentum = 0.9, Nesterov = true },
        "weight decay" => new SgdOptions { LearningRate = 0.1, WeightDecay = 0.05 },
        "momentum + weight decay" => new SgdOptions { LearningRate = 0.1, Momentum = 0.8, WeightDecay = 0.05 },
        "nesterov + weight decay" => new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 0.01 },
        _ => new SgdOptions { LearningRate = 0.1, Momentum = 0.5, Maximize = true },
    };

    /// <summary>torch.optim.SGD, element by element.</summary>
    private static (double[] P, double[]? Buf) SgdReference(SgdOptions o, int steps)
    {
        var p = (double[])P0.Clone();
        double[]? buf = null;
        for (int t = 0; t < steps; t++)
        {
            var g = Grads[t].Select((gi, i) => (o.Maximize ? -gi : gi) + o.WeightDecay * p[i]).ToArray();
            if (o.Momentum != 0)
            {
                buf = buf is null ? (double[])g.Clone() : buf.Select((b, i) => o.Momentum * b + (1 - o.Dampening) * g[i]).ToArray();
                g = o.Nesterov ? g.Select((gi, i) => gi + o.Momentum * buf[i]).ToArray() : (double[])buf.Clone();
            }
            for (int i = 0; i < p.Length; i++) p[i] -= o.LearningRate * g[i];
        }
        return (p, buf);
    }

    [Theory, MemberData(nameof(SgdVariants))]
    public void Sgd_ThreeSteps_MatchTheUpdateFormulas(string variant)
    {
        var o = SgdOptionsFor(variant);
        var p = Param(P0);
        var sgd = new Sgd([p], o);

        for (int t = 0; t < 3; t++)
        {
            SetGrad(p, Grads[t]);
            sgd.Step();
        }

        var (expected, buf) = SgdReference(o, 3);
        Expect.Values(p, [3], expected, 1e-14);
        if (buf is null) Assert.Null(sgd.MomentumBuffer(p));
        else Expect.Values(sgd.MomentumBuffer(p)!, [3], buf, 1e-14);
    }

    [Fact]
    public void Sgd_Momentum_ConstantGradient_HandComputed()
    {
        var p = Param([1.0]);
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9);

        var trajectory = new List<double>();
        for (int t = 0; t < 3; t++)
        {
            SetGrad(p, [1.0]);
            sgd.Step();
            trajectory.Add(p.Item());
        }

        // b₁ = 1, p₁ = 0.9;  b₂ = 0.9·1 + 1 = 1.9, p₂ = 0.71;  b₃ = 0.9·1.9 + 1 = 2.71, p₃ = 0.439
        Assert.Equal([0.9, 0.71, 0.439], trajectory, (a, b) => Math.Abs(a - b) < 1e-14);
    }

    [Fact]
    public void Sgd_Float32_MatchesTheDoubleFormulas()
    {
        var o = SgdOptionsFor("nesterov + weight decay");
        var p = Param(P0, DType.Float32);
        var sgd = new Sgd([p], o);

        for (int t = 0; t < 3; t++)
        {
            SetGrad(p, Grads[t]);
            sgd.Step();
        }

        Expect.Values(p, [3], SgdReference(o, 3).P, 1e-6);
    }

    [Fact]
    public void Sgd_SkipsParametersWithoutAGradient()
    {
        var a = Param([1.0]);
        var b = Param([2.0]);
        var sgd = new Sgd([a, b], lr: 0.5);
        SetGrad(a, [1.0]);

        sgd.Step();

        Assert.Equal(0.5, a.Item());
        Assert.Equal(2.0, b.Item());
    }

    [Fact]
    public void Sgd_Step_BumpsTheParameterVersion()
    {
        var p = Param([1.0]);
        var sgd = new Sgd([p], lr: 0.5);
        SetGrad(p, [1.0]);

        sgd.Step();

        Assert.Equal(1, p.Version);
    }

    [Fact]
    public void Sgd_NesterovWithoutMomentum_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sgd([Param([1.0])], lr: 0.1, nesterov: true));

        Assert.Equal("Sgd: Nesterov momentum requires a momentum and zero dampening.", e.Message);
    }

    [Fact]
    public void Sgd_NegativeLearningRate_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([Param([1.0])], lr: -0.1));
    }

    [Fact]
    public void Optimizer_GradientOfTheWrongShape_Throws()
    {
        var p = Param([1.0, 2.0]);
        var sgd = new Sgd([p], lr: 0.1);
        p.Grad = Tensor.FromArray<double>([1.0, 2.0, 3.0]);

        var e = Assert.Throws<InvalidOperationException>(sgd.Step);

        Assert.Equal("Sgd: gradient [3] (float64) does not match parameter [2] (float64).", e.Message);
    }

    [Fact]
    public void Optimizer_ZeroGrad_ClearsEveryGradient()
    {
        var a = Param([1.0]);
        var b = Param([2.0]);
        var sgd = new Sgd([a, b], lr: 0.1);
        SetGrad(a, [1.0]);
        SetGrad(b, [1.0]);

        sgd.ZeroGrad();

        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
    }

    [Fact]
    public void Optimizer_LearningRate_CanBeChangedBetweenSteps()
    {
        var p = Param([1.0]);
        var sgd = new Sgd([p], lr: 0.1);

        SetGrad(p, [1.0]);
        sgd.Step();
        sgd.LearningRate = 0.01;
        sgd.Step();

        Assert.Equal(0.01, sgd.LearningRate);
        Assert.Equal(1 - 0.1 - 0.01, p.Item(), 14);
    }

    [Fact]
    public void Sgd_ParameterGroups_UseTheirOwnOptions()
    {
        var a = Param([1.0]);
        var b = Param([1.0]);
        var sgd = new Sgd([new ParamGroup<SgdOptions>([a], new SgdOptions { LearningRate = 0.1 }), new ParamGroup<SgdOptions>([b], new SgdOptions { LearningRate = 0.5 })]);
        SetGrad(a, [1.0]);
        SetGrad(b, [1.0]);

        sgd.Step();

        Assert.Equal(0.9, a.Item(), 14);
        Assert.Equal(0.5, b.Item(), 14);
    }

    // ---- Adam ----

    public static TheoryData<string> AdamVariants => ["default", "weight decay", "amsgrad", "amsgrad + weight decay", "maximize", "decoupled weight decay"];

    private static AdamOptions AdamOptionsFor(string variant) => variant switch
    {
        "default" => new AdamOptions { LearningRate = 0.1 },
        "weight decay" => new AdamOptions { LearningRate = 0.1, WeightDecay = 0.1 },
        // β₂ = 0.5 lets v fall after the large first gradient, so the running max differs from v.
        "amsgrad" => new AdamOptions { LearningRate = 0.1, Beta2 = 0.5, AmsGrad = true },
        "amsgrad + weight decay" => new AdamOptions { LearningRate = 0.05, Beta1 = 0.8, Beta2 = 0.5, AmsGrad = true, WeightDecay = 0.2 },
        "maximize" => new AdamOptions { LearningRate = 0.1, Maximize = true },
        _ => new AdamOptions { LearningRate = 0.1, WeightDecay = 0.1, DecoupledWeightDecay = true },
    };

    /// <summary>torch.optim.Adam (and AdamW for decoupled decay), element by element.</summary>
    private static (double[] P, double[] M, double[] V) AdamReference(AdamOptions o, int steps, double[]? p0 = null, Func<int, double[]>? grads = null)
    {
        var p = (double[])(p0 ?? P0).Clone();
        grads ??= t => Grads[t];
        int n = p.Length;
        var m = new double[n];
        var v = new double[n];
        var vMax = new double[n];
        for (int t = 1; t <= steps; t++)
        {
            var raw = grads(t - 1);
            for (int i = 0; i < n; i++)
            {
                double g = o.Maximize ? -raw[i] : raw[i];
                if (o.DecoupledWeightDecay) p[i] *= 1 - o.LearningRate * o.WeightDecay;
                else g += o.WeightDecay * p[i];
                m[i] = o.Beta1 * m[i] + (1 - o.Beta1) * g;
                v[i] = o.Beta2 * v[i] + (1 - o.Beta2) * g * g;
                double bias1 = 1 - Math.Pow(o.Beta1, t), bias2 = 1 - Math.Pow(o.Beta2, t);
                vMax[i] = Math.Max(vMax[i], v[i]);
                double denom = Math.Sqrt(o.AmsGrad ? vMax[i] : v[i]) / Math.Sqrt(bias2) + o.Eps;
                p[i] -= o.LearningRate / bias1 * m[i] / denom;
            }
        }
        return (p, m, v);
    }

    [Theory, MemberData(nameof(AdamVariants))]
    public void Adam_ThreeSteps_MatchTheUpdateFormulas(string variant)
    {
        var o = AdamOptionsFor(variant);
        var p = Param(P0);
        var adam = new Adam([p], o);

        for (int t = 0; t < 3; t++)
        {
            SetGrad(p, Grads[t]);
            adam.Step();
        }

        var (expected, m, v) = AdamReference(o, 3);
        Expect.Values(p, [3], expected, 1e-13);
        var state = adam.State(p)!;
        Assert.Equal(3, state.Step);
        Expect.Values(state.ExpAvg, [3], m, 1e-13);
        Expect.Values(state.ExpAvgSq, [3], v, 1e-13);
        Assert.Equal(o.AmsGrad, state.MaxExpAvgSq is not null);
    }

    [Fact]
    public void Adam_AmsGrad_DiffersFromAdamWhenTheSecondMomentFalls()
    {
        var plain = AdamReference(AdamOptionsFor("amsgrad") with { AmsGrad = false }, 3).P;
        var ams = AdamReference(AdamOptionsFor("amsgrad"), 3).P;

        // Guards the test data above: without a falling v the AMSGrad cases would test nothing.
        Assert.True(Math.Abs(plain[0] - ams[0]) > 1e-3);
    }

    [Fact]
    public void Adam_ConstantGradient_MovesByTheLearningRateEachStep_HandComputed()
    {
        var p = Param([1.0]);
        var adam = new Adam([p], lr: 0.1);

        for (int t = 0; t < 3; t++)
        {
            SetGrad(p, [1.0]);
            adam.Step();
        }

        // With g ≡ 1: m̂ = v̂ = 1 every step, so each step subtracts η·1/(1 + ε).
        Assert.Equal(1 - 3 * 0.1 / (1 + 1e-8), p.Item(), 14);
    }

    [Fact]
    public void Adam_Float32VectorizedPath_MatchesTheDoubleFormulas()
    {
        // 19 elements: full vectors plus a scalar tail, on the vectorized (no decay, no AMSGrad) path.
        var p0 = Enumerable.Range(0, 19).Select(i => Math.Sin(i) * 2).ToArray();
        double[] Grad(int t) => Enumerable.Range(0, 19).Select(i => Math.Cos(i * (t + 1)) * (i % 3 + 1)).ToArray();
        var o = new AdamOptions { LearningRate = 0.01 };
        var p = Param(p0, DType.Float32);
        var adam = new Adam([p], o);

        for (int t = 0; t < 3; t++)
        {
            SetGrad(p, Grad(t));
            adam.Step();
        }

        var expected = AdamReference(o, 3, p0, Grad).P;
        var actual = Values(p);
        for (int i = 0; i < 19; i++) Assert.True(Math.Abs(actual[i] - expected[i]) < 2e-6, $"element {i}: {actual[i]} vs {expected[i]}");
    }

    [Theory]
    [InlineData("amsgrad + weight decay")]
    [InlineData("decoupled weight decay")]
    public void Adam_Float32ScalarPath_MatchesTheDoubleFormulas(string variant)
    {
        var o = AdamOptionsFor(variant);
        var p = Param(P0, DType.Float32);
        var adam = new Adam([p], o);

        for (int t = 0; t < 3; t++)
        {
            SetGrad(p, Grads[t]);
            adam.Step();
        }

        Expect.Values(p, [3], AdamReference(o, 3).P, 2e-6);
    }

    [Fact]
    public void Adam_InvalidBeta_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([Param([1.0])], new AdamOptions { Beta1 = 1 }));

        Assert.Contains("Adam: beta1 must be in [0, 1).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adam_HasNoStateBeforeTheFirstStep_AndSkipsParametersWithoutGradients()
    {
        var a = Param([1.0]);
        var b = Param([1.0]);
        var adam = new Adam([a, b], lr: 0.1);
        SetGrad(a, [1.0]);

        adam.Step();

        Assert.NotNull(adam.State(a));
        Assert.Null(adam.State(b));
        Assert.Equal(1.0, b.Item());
    }

    [Fact]
    public void Adam_TrainsATinyModelTowardsItsTarget()
    {
        var model = new Linear(2, 1, generator: new Generator(1));
        var adam = new Adam(model.Parameters(), lr: 0.05);
        var x = Tensor.FromArray<float>([1, 0, 0, 1, 1, 1, 2, -1], [4, 2]);
        var y = Tensor.FromArray<float>([3, -1, 2, 7], [4, 1]);   // y = 3·x₀ − x₁ + 0

        double first = 0, last = 0;
        for (int i = 0; i < 300; i++)
        {
            var loss = (model.Call(x) - y).Square().Mean();
            if (i == 0) first = loss.Item();
            last = loss.Item();
            adam.ZeroGrad();
            loss.Backward();
            adam.Step();
        }

        Assert.True(last < first / 100, $"loss {first} → {last}");
    }
}
