using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Tests.Optim;

/// <summary>Optimizer and scheduler state dicts: PyTorch's flattened layout, and the claim that matters for resuming —
/// k steps, save, a fresh optimizer loads the state, and its next steps equal those of the one that never stopped.</summary>
public sealed class OptimizerStateTests
{
    private static readonly int[][] Shapes = [[3, 4], [4], [2]];

    /// <summary>Three parameters in two groups (the second with its own rate), deterministic values.</summary>
    private static (List<Parameter> Params, Func<IReadOnlyList<Parameter>, Optimizer> Make) Setup(string variant, DType dtype = DType.Float32)
    {
        var g = new Generator(5);
        var ps = Shapes.Select(s => new Parameter(Tensor.Randn(s, dtype, generator: g))).ToList();
        return (ps, p => Make(variant, p));
    }

    private static Optimizer Make(string variant, IReadOnlyList<Parameter> p)
    {
        IReadOnlyList<Parameter> a = [p[0], p[1]], b = [p[2]];
        return variant switch
        {
            "sgd" => new Sgd([new ParamGroup<SgdOptions>(a, new() { LearningRate = 0.1 }), new(b, new() { LearningRate = 0.05 })]),
            "sgd momentum" => new Sgd([new ParamGroup<SgdOptions>(a, new() { LearningRate = 0.1, Momentum = 0.9, Dampening = 0.1, WeightDecay = 0.01 }),
                new(b, new() { LearningRate = 0.05, Momentum = 0.5 })]),
            "sgd nesterov" => new Sgd([new ParamGroup<SgdOptions>(a, new() { LearningRate = 0.1, Momentum = 0.9, Nesterov = true }),
                new(b, new() { LearningRate = 0.05, Momentum = 0.9, Nesterov = true, Maximize = true })]),
            "adam" => new Adam([new ParamGroup<AdamOptions>(a, new() { LearningRate = 0.01 }), new(b, new() { LearningRate = 0.02, Beta1 = 0.8, WeightDecay = 0.1 })]),
            "adam amsgrad" => new Adam([new ParamGroup<AdamOptions>(a, new() { LearningRate = 0.01, AmsGrad = true }), new(b, new() { LearningRate = 0.02, AmsGrad = true })]),
            "adamw" => new Adam([new ParamGroup<AdamOptions>(a, AdamW.DefaultOptions with { LearningRate = 0.01 }), new(b, AdamW.DefaultOptions with { WeightDecay = 0.2 })]),
            "rmsprop" => new RmsProp([new ParamGroup<RmsPropOptions>(a, new() { LearningRate = 0.01 }), new(b, new() { LearningRate = 0.02, Alpha = 0.9 })]),
            _ => new RmsProp([new ParamGroup<RmsPropOptions>(a, new() { LearningRate = 0.01, Momentum = 0.9, Centered = true, WeightDecay = 0.01 }),
                new(b, new() { LearningRate = 0.02, Momentum = 0.5, Centered = true })]),
        };
    }

    public static TheoryData<string> Variants => ["sgd", "sgd momentum", "sgd nesterov", "adam", "adam amsgrad", "adamw", "rmsprop", "rmsprop momentum centered"];

    /// <summary>Gradient of step t: fixed pseudo-random values, the same for every optimizer that replays step t.</summary>
    private static void SetGrads(IReadOnlyList<Parameter> ps, int t)
    {
        var g = new Generator(100 + t);
        foreach (var p in ps) p.Grad = Tensor.Randn(p.ShapeSpan, p.DType, generator: g);
    }

    private static void Steps(Optimizer opt, IReadOnlyList<Parameter> ps, int from, int to)
    {
        for (int t = from; t < to; t++)
        {
            SetGrads(ps, t);
            opt.Step();
        }
    }

    private static List<Parameter> CopyOf(IReadOnlyList<Parameter> ps) => [.. ps.Select(p => new Parameter(p.Detach().Clone()))];

    private static void AssertBitEqual(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.True(expected.AllClose(actual, rtol: 0, atol: 0), $"{what} differs");
    }

    [Theory, MemberData(nameof(Variants))]
    public void StateDict_RoundTrip_ContinuesExactlyAsTheOriginal(string variant)
    {
        var (ps, make) = Setup(variant);
        var original = make(ps);
        Steps(original, ps, 0, 3);

        // A fresh optimizer over copies of the parameters, with other hyper-parameters: loading must restore them too.
        var ps2 = CopyOf(ps);
        var resumed = make(ps2);
        resumed.LearningRate = 123;
        resumed.LoadStateDict(original.StateDict());
        Assert.Equal(original.LearningRate, resumed.LearningRate);

        Steps(original, ps, 3, 6);
        Steps(resumed, ps2, 3, 6);
        for (int i = 0; i < ps.Count; i++) AssertBitEqual(ps[i], ps2[i], $"parameter {i}");

        var a = original.StateDict();
        var b = resumed.StateDict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var key in a.Keys) AssertBitEqual(a[key], b[key], key);
    }

    [Fact]
    public void Adam_StateDict_HasPyTorchsFlattenedLayout()
    {
        var (ps, make) = Setup("adam amsgrad");
        var opt = (Adam)make(ps);
        Steps(opt, ps, 0, 2);
        var sd = opt.StateDict();

        string[] perParam = ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"];
        string[] perGroup = ["params", "lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay"];
        Assert.Equal([.. Enumerable.Range(0, 3).SelectMany(i => perParam.Select(n => $"state.{i}.{n}")),
            .. Enumerable.Range(0, 2).SelectMany(g => perGroup.Select(n => $"param_groups.{g}.{n}"))], sd.Keys);

        Assert.Equal(DType.Int64, sd["state.1.step"].DType);
        Assert.Empty(sd["state.1.step"].Shape);
        Assert.Equal(2, sd["state.1.step"].Item());
        AssertBitEqual(opt.State(ps[1])!.ExpAvg, sd["state.1.exp_avg"], "exp_avg");
        Assert.Equal([0L, 1], sd["param_groups.0.params"].ToArray<long>());
        Assert.Equal([2L], sd["param_groups.1.params"].ToArray<long>());
        Assert.Equal(DType.Float64, sd["param_groups.1.lr"].DType);
        Assert.Equal(0.02, sd["param_groups.1.lr"].Item());
        Assert.Equal([0.9, 0.999], sd["param_groups.0.betas"].ToArray<double>());
        Assert.Equal(DType.Bool, sd["param_groups.0.amsgrad"].DType);
        Assert.Equal(1, sd["param_groups.0.amsgrad"].Item());
    }

    [Fact]
    public void Sgd_WithoutMomentum_HasNoPerParameterState()
    {
        var (ps, make) = Setup("sgd");
        var opt = make(ps);
        Steps(opt, ps, 0, 2);
        Assert.DoesNotContain(opt.StateDict().Keys, k => k.StartsWith("state.", StringComparison.Ordinal));
    }

    [Fact]
    public void RmsProp_StateDict_NamesItsBuffersAsPyTorch()
    {
        var (ps, make) = Setup("rmsprop momentum centered");
        var opt = make(ps);
        Steps(opt, ps, 0, 1);
        Assert.Equal(["state.0.step", "state.0.square_avg", "state.0.momentum_buffer", "state.0.grad_avg"],
            opt.StateDict().Keys.Where(k => k.StartsWith("state.0.", StringComparison.Ordinal)));
    }

    [Fact]
    public void LoadStateDict_BeforeAnyStep_GivesAFreshOptimizer()
    {
        var (ps, make) = Setup("adam");
        var fresh = make(ps);
        var (ps2, _) = Setup("adam");
        var other = make(ps2);
        Steps(other, ps2, 0, 2);
        other.LoadStateDict(fresh.StateDict());
        Assert.Null(((Adam)other).State(ps2[0]));
    }

    [Fact]
    public void LoadStateDict_AcceptsPyTorchsFloatStep()
    {
        var (ps, make) = Setup("adam");
        var opt = make(ps);
        Steps(opt, ps, 0, 3);
        var sd = new Dictionary<string, Tensor>(opt.StateDict()) { ["state.0.step"] = Tensor.Scalar(3, DType.Float32) };
        var (ps2, _) = Setup("adam");
        var loaded = (Adam)make(ps2);
        loaded.LoadStateDict(sd);
        Assert.Equal(3, loaded.State(ps2[0])!.Step);
    }

    // ---- refusals: a clear message, and the optimizer unchanged ----

    private static (Adam Target, Parameter First) StepsTakenAdam()
    {
        var (ps, make) = Setup("adam");
        var opt = (Adam)make(ps);
        Steps(opt, ps, 0, 1);
        return (opt, ps[0]);
    }

    private static void AssertRefusedAndUnchanged(Adam target, Parameter first, IReadOnlyDictionary<string, Tensor> state, string message)
    {
        var before = target.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        var e = Assert.ThrowsAny<ArgumentException>(() => target.LoadStateDict(state));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Adam.LoadStateDict: ", e.Message, StringComparison.Ordinal);
        var after = target.StateDict();
        Assert.Equal(before.Keys, after.Keys);
        foreach (var key in before.Keys) AssertBitEqual(before[key], after[key], key);
        Assert.Equal(0.01, target.LearningRate);
        Assert.Equal(1, target.State(first)!.Step);
    }

    [Fact]
    public void LoadStateDict_RefusesADictWithOtherParameterCounts()
    {
        var (target, first) = StepsTakenAdam();
        var p = new Parameter(Tensor.Zeros([3, 4]));
        var small = new Adam([p], lr: 0.5);
        small.LoadStateDict(new Dictionary<string, Tensor>(small.StateDict()));   // its own: fine
        AssertRefusedAndUnchanged(target, first, small.StateDict(), "the state dict has 1 parameter groups but the optimizer has 2");

        var (ps, _) = Setup("adam");
        var fewer = new Adam([new ParamGroup<AdamOptions>([ps[0]], new()), new ParamGroup<AdamOptions>([ps[2]], new())]);
        AssertRefusedAndUnchanged(target, first, fewer.StateDict(), "group 0 holds 1 parameters in the state dict but 2 in the optimizer");
    }

    [Fact]
    public void LoadStateDict_RefusesABufferOfTheWrongShape()
    {
        var (target, first) = StepsTakenAdam();
        var sd = new Dictionary<string, Tensor>(target.StateDict()) { ["state.1.exp_avg"] = Tensor.Zeros([5]) };
        AssertRefusedAndUnchanged(target, first, sd, "'state.1.exp_avg' has shape [5] but parameter 1 has shape [4]");
    }

    [Fact]
    public void LoadStateDict_RefusesMissingAndUnknownKeys()
    {
        var (target, first) = StepsTakenAdam();
        var sd = new Dictionary<string, Tensor>(target.StateDict());
        sd.Remove("state.2.exp_avg_sq");
        AssertRefusedAndUnchanged(target, first, sd, "missing 'state.2.exp_avg_sq'");

        sd = new Dictionary<string, Tensor>(target.StateDict());
        sd.Remove("param_groups.1.lr");
        AssertRefusedAndUnchanged(target, first, sd, "missing 'param_groups.1.lr'");

        sd = new Dictionary<string, Tensor>(target.StateDict()) { ["state.0.momentum_buffer"] = Tensor.Zeros([3, 4]) };
        AssertRefusedAndUnchanged(target, first, sd, "unexpected keys [state.0.momentum_buffer]");

        sd = new Dictionary<string, Tensor>(target.StateDict()) { ["state.7.exp_avg"] = Tensor.Zeros([3, 4]) };
        AssertRefusedAndUnchanged(target, first, sd, "'state.7.exp_avg' names parameter 7, but the optimizer has 3 parameters");

        sd = new Dictionary<string, Tensor>(target.StateDict()) { ["lr"] = Tensor.Scalar(1) };
        AssertRefusedAndUnchanged(target, first, sd, "unexpected key 'lr'");
    }

    [Fact]
    public void LoadStateDict_RefusesAnotherOptimizersState()
    {
        var (target, first) = StepsTakenAdam();
        var (ps, make) = Setup("sgd momentum");
        var sgd = make(ps);
        Steps(sgd, ps, 0, 1);
        AssertRefusedAndUnchanged(target, first, sgd.StateDict(), "missing 'param_groups.0.betas'");
    }

    [Fact]
    public void LoadStateDict_RefusesInvalidHyperParameters()
    {
        var (target, first) = StepsTakenAdam();
        var sd = new Dictionary<string, Tensor>(target.StateDict()) { ["param_groups.0.betas"] = Tensor.FromArray<double>([1.5, 0.9]) };
        AssertRefusedAndUnchanged(target, first, sd, "group 0 holds hyper-parameters the optimizer refuses: Adam: beta1 must be in [0, 1).");

        sd = new Dictionary<string, Tensor>(target.StateDict()) { ["state.0.step"] = Tensor.Scalar(-2, DType.Int64) };
        AssertRefusedAndUnchanged(target, first, sd, "'state.0.step' is -2; expected a whole number of steps ≥ 0");
    }

    // ---- schedulers ----

    [Fact]
    public void LrScheduler_StateDict_RoundTripContinuesTheSchedule()
    {
        var p = new Parameter(Tensor.Zeros([1]));
        var opt = new Sgd([p], lr: 0.1);
        var schedule = new StepLr(opt, stepSize: 2, gamma: 0.5);
        for (int i = 0; i < 3; i++) schedule.Step();
        var state = schedule.StateDict();
        Assert.Equal(3, state["last_epoch"]);
        Assert.Equal(0.1, state["base_lr"]);

        // A schedule built on a different base rate takes the saved one.
        var opt2 = new Sgd([new Parameter(Tensor.Zeros([1]))], lr: 7);
        var resumed = new StepLr(opt2, stepSize: 2, gamma: 0.5);
        resumed.LoadStateDict(state);
        opt2.LoadStateDict(opt.StateDict());
        Assert.Equal(3, resumed.LastEpoch);
        Assert.Equal(0.1, resumed.BaseLr);
        for (int i = 0; i < 3; i++)
        {
            schedule.Step();
            resumed.Step();
            Assert.Equal(opt.LearningRate, opt2.LearningRate);
        }
        Assert.Equal(0.1 * 0.25 * 0.5, opt2.LearningRate, 15);
    }

    [Fact]
    public void LrScheduler_LoadStateDict_RefusesBadStateAndKeepsItsOwn()
    {
        var schedule = new CosineAnnealingLr(new Sgd([new Parameter(Tensor.Zeros([1]))], lr: 0.1), tMax: 10);
        schedule.Step();
        var e = Assert.Throws<ArgumentException>(() => schedule.LoadStateDict(new Dictionary<string, double> { ["last_epoch"] = 2.5, ["base_lr"] = 1 }));
        Assert.Equal("CosineAnnealingLr.LoadStateDict: 'last_epoch' is 2.5; expected a whole number ≥ 0.", e.Message);
        e = Assert.Throws<ArgumentException>(() => schedule.LoadStateDict(new Dictionary<string, double> { ["best"] = 2 }));
        Assert.Equal("CosineAnnealingLr.LoadStateDict: missing [last_epoch, base_lr]; unexpected [best]; expected exactly [last_epoch, base_lr].", e.Message);
        Assert.Equal(1, schedule.LastEpoch);
        Assert.Equal(0.1, schedule.BaseLr);
    }

    [Fact]
    public void ReduceLrOnPlateau_StateDict_RoundTripContinuesExactly()
    {
        var opt = new Sgd([new Parameter(Tensor.Zeros([1]))], lr: 1);
        var plateau = new ReduceLrOnPlateau(opt, patience: 1, cooldown: 2, factor: 0.5);
        double[] metrics = [5, 4, 4, 4, 4, 4, 3, 3, 3, 3];
        for (int i = 0; i < 4; i++) plateau.Step(metrics[i]);
        var state = plateau.StateDict();
        Assert.Equal(4, state["best"]);
        Assert.Equal(2, state["cooldown_counter"]);

        var opt2 = new Sgd([new Parameter(Tensor.Zeros([1]))], lr: 1);
        var resumed = new ReduceLrOnPlateau(opt2, patience: 1, cooldown: 2, factor: 0.5);
        resumed.LoadStateDict(state);
        opt2.LoadStateDict(opt.StateDict());
        Assert.Equal(0.5, opt2.LearningRate);
        for (int i = 4; i < metrics.Length; i++)
        {
            plateau.Step(metrics[i]);
            resumed.Step(metrics[i]);
            Assert.Equal(opt.LearningRate, opt2.LearningRate);
            Assert.Equal(plateau.BadEpochs, resumed.BadEpochs);
            Assert.Equal(plateau.CooldownCounter, resumed.CooldownCounter);
        }
        Assert.Equal(3, resumed.Best);
    }

    [Fact]
    public void ReduceLrOnPlateau_StateDict_KeepsAnInfiniteBestBeforeTheFirstMetric()
    {
        var plateau = new ReduceLrOnPlateau(new Sgd([new Parameter(Tensor.Zeros([1]))], lr: 1), mode: "max");
        Assert.Equal(double.NegativeInfinity, plateau.StateDict()["best"]);
        var e = Assert.Throws<ArgumentException>(() => plateau.LoadStateDict(new Dictionary<string, double>
        {
            ["best"] = double.NaN, ["num_bad_epochs"] = 0, ["cooldown_counter"] = 0,
        }));
        Assert.Equal("ReduceLrOnPlateau.LoadStateDict: 'best' is NaN; expected a number.", e.Message);
    }
}
