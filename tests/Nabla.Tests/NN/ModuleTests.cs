using Nabla.IO;
using Nabla.NN;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.NN;

public sealed class ModuleTests
{
    /// <summary>A parameter, a buffer and a sub-module, registered in that order.</summary>
    private sealed class Block : Module<Tensor, Tensor>
    {
        public Block(Generator g)
        {
            Scale = RegisterParameter("scale", Tensor.Ones([3]));
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([3]));
            Inner = RegisterModule("inner", new Linear(3, 4, generator: g));
        }

        public Parameter Scale { get; }
        public Tensor RunningMean { get; }
        public Linear Inner { get; }

        public override Tensor Forward(Tensor input) => Inner.Call(input * Scale);

        public void Register(string name) => RegisterParameter(name, Tensor.Zeros([1]));
    }

    private static Sequential Mlp(long seed) => new(
        new Linear(4, 3, generator: new Generator(seed)),
        new ReLU(),
        new Linear(3, 2, generator: new Generator(seed + 1)));

    [Fact]
    public void RegisterParameter_MakesALeafParameterThatSharesTheTensorsStorage()
    {
        var block = new Block(new Generator(1));

        Assert.True(block.Scale.RequiresGrad);
        Assert.True(block.Scale.IsLeaf);
        Assert.Equal(["scale", "inner.weight", "inner.bias"], block.NamedParameters().Select(p => p.Name));
        Assert.Equal(["running_mean"], block.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["", "inner"], block.NamedModules().Select(m => m.Name));
    }

    [Fact]
    public void RegisterParameter_DuplicateName_Throws()
    {
        var block = new Block(new Generator(1));

        var e = Assert.Throws<ArgumentException>(() => block.Register("scale"));

        Assert.StartsWith("Block: 'scale' is already registered.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegisterParameter_NameWithADot_Throws()
    {
        var block = new Block(new Generator(1));

        var e = Assert.Throws<ArgumentException>(() => block.Register("a.b"));

        Assert.StartsWith("Block: 'a.b' is not a valid name (non-empty, no '.').", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StateDict_OfSequential_UsesPyTorchNames()
    {
        var model = Mlp(1);

        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.StateDict().Keys);
        Assert.Equal([3, 4], model.StateDict()["0.weight"].Shape);
        Assert.Equal([2], model.StateDict()["2.bias"].Shape);
    }

    [Fact]
    public void StateDict_OfNestedModules_JoinsNamesWithDots()
    {
        var model = new Sequential(new Sequential(new Linear(2, 2, generator: new Generator(1)), new Tanh()), new Block(new Generator(2)));

        Assert.Equal(["0.0.weight", "0.0.bias", "1.scale", "1.running_mean", "1.inner.weight", "1.inner.bias"], model.StateDict().Keys);
    }

    [Fact]
    public void StateDict_SharesStorageWithTheParametersButIsDetached()
    {
        var model = Mlp(1);

        var w = model.StateDict()["0.weight"];

        Assert.True(w.SharesStorageWith(((Linear)model[0]).Weight));
        Assert.False(w.RequiresGrad);
    }

    [Fact]
    public void LoadStateDict_CopiesEveryValue()
    {
        var source = Mlp(1);
        var target = Mlp(10);

        var result = target.LoadStateDict(source.StateDict());

        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        foreach (var (key, value) in source.StateDict())
            Assert.Equal(value.ToArray<float>(), target.StateDict()[key].ToArray<float>());
        Assert.False(target.StateDict()["0.weight"].SharesStorageWith(source.StateDict()["0.weight"]));
    }

    [Fact]
    public void LoadStateDict_Strict_ReportsMissingAndUnexpectedKeys()
    {
        var model = Mlp(1);
        var state = new Dictionary<string, Tensor>(model.StateDict());
        state.Remove("2.bias");
        state["3.weight"] = Tensor.Zeros([1]);

        var e = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));

        Assert.Equal("LoadStateDict(Sequential): missing keys [2.bias]; unexpected keys [3.weight].", e.Message);
    }

    [Fact]
    public void LoadStateDict_NotStrict_LoadsWhatMatchesAndReportsTheRest()
    {
        var model = Mlp(1);
        var state = new Dictionary<string, Tensor> { ["0.bias"] = Tensor.Full([3], 7), ["extra"] = Tensor.Zeros([1]) };

        var result = model.LoadStateDict(state, strict: false);

        Assert.Equal(["0.weight", "2.weight", "2.bias"], result.MissingKeys);
        Assert.Equal(["extra"], result.UnexpectedKeys);
        Expect.Values(((Linear)model[0]).Bias!, [3], [7, 7, 7]);
    }

    [Fact]
    public void LoadStateDict_ShapeMismatch_ThrowsAndCopiesNothing()
    {
        var model = Mlp(1);
        var before = ((Linear)model[0]).Bias!.ToArray<float>();
        var state = new Dictionary<string, Tensor>(Mlp(2).StateDict()) { ["2.weight"] = Tensor.Zeros([2, 5]) };

        var e = Assert.Throws<ShapeMismatchException>(() => model.LoadStateDict(state));

        Assert.Equal("LoadStateDict(Sequential): '2.weight' has shape [2, 5] in the state dict but [2, 3] in the model.", e.Message);
        Assert.Equal(before, ((Linear)model[0]).Bias!.ToArray<float>());
    }

    [Fact]
    public void LoadStateDict_ConvertsTheDType()
    {
        var model = new Linear(2, 1, generator: new Generator(1));
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.FromArray<double>([0.25, -0.5], [1, 2]),
            ["bias"] = Tensor.FromArray<double>([1.5]),
        };

        model.LoadStateDict(state);

        Assert.Equal(DType.Float32, model.Weight.DType);
        Expect.Values(model.Weight, [1, 2], [0.25, -0.5]);
    }

    [Fact]
    public void Checkpoint_RoundTripsAModelThroughASafetensorsFile()
    {
        var source = new Sequential(new Block(new Generator(5)), new ReLU(), Mlp(1));
        ((Block)source[0]).RunningMean.Add_(Tensor.FromArray<float>([1, 2, 3]));
        var target = new Sequential(new Block(new Generator(21)), new ReLU(), Mlp(20));
        string path = Path.Combine(Path.GetTempPath(), $"nabla-module-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.Save(path, source);
            Checkpoint.LoadInto(path, target);

            foreach (var (key, value) in source.StateDict())
                Assert.Equal(value.ToArray<float>(), target.StateDict()[key].ToArray<float>());
            var x = Tensor.Randn([5, 3], generator: new Generator(3));
            Assert.Equal(source.Call(x).ToArray<float>(), target.Call(x).ToArray<float>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Checkpoint_KeepsZeroDimensionalBuffers()
    {
        // BatchNorm's num_batches_tracked is an int64 scalar of shape []; reloading it as [1] would not fit the module.
        var source = new BatchNorm1d(3);
        source.Call(Tensor.Randn([4, 3], generator: new Generator(2)));
        var target = new BatchNorm1d(3);
        string path = Path.Combine(Path.GetTempPath(), $"nabla-module-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.Save(path, source);
            Assert.Empty(Checkpoint.Load(path)["num_batches_tracked"].Shape);
            Checkpoint.LoadInto(path, target);
            Assert.Equal(1L, target.NumBatchesTracked!.Item());
            Assert.Equal(source.RunningMean!.ToArray<float>(), target.RunningMean!.ToArray<float>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Checkpoint_LoadIntoAModelOfAnotherShape_FailsWithTheKey()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-module-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.Save(path, new Linear(4, 3, generator: new Generator(1)));

            var e = Assert.Throws<ShapeMismatchException>(() => Checkpoint.LoadInto(path, new Linear(5, 3, generator: new Generator(1))));

            Assert.Contains("'weight' has shape [3, 4] in the state dict but [3, 5] in the model", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrainAndEval_PropagateToEverySubModule()
    {
        var model = new Sequential(Mlp(1), new Block(new Generator(2)));
        var all = model.NamedModules().Select(m => m.Module).ToList();

        Assert.All(all, m => Assert.True(m.Training));
        model.Eval();
        Assert.All(all, m => Assert.False(m.Training));
        model.Train();
        Assert.All(all, m => Assert.True(m.Training));
    }

    [Fact]
    public void Eval_OnASubModule_LeavesTheParentInTraining()
    {
        var model = Mlp(1);

        model[0].Eval();

        Assert.True(model.Training);
        Assert.False(model[0].Training);
        Assert.True(model[2].Training);
    }

    [Fact]
    public void ForwardHook_SeesTheModuleInputAndOutput_AndDisposingRemovesIt()
    {
        var layer = new Linear(4, 2, generator: new Generator(1));
        var seen = new List<(Module, Tensor, Tensor)>();
        var handle = layer.RegisterForwardHook((m, i, o) => seen.Add((m, i, o)));
        var x = Tensor.Ones([3, 4]);

        var y = layer.Call(x);
        handle.Dispose();
        layer.Call(x);

        var (module, input, output) = Assert.Single(seen);
        Assert.Same(layer, module);
        Assert.Same(x, input);
        Assert.Same(y, output);
    }

    [Fact]
    public void ForwardHooks_OfChildren_RunInsideSequential()
    {
        var model = Mlp(1);
        var order = new List<string>();
        using var h0 = model[0].RegisterForwardHook((_, _, o) => order.Add($"0 {string.Join('x', o.Shape)}"));
        using var h2 = model[2].RegisterForwardHook((_, _, o) => order.Add($"2 {string.Join('x', o.Shape)}"));
        using var hs = model.RegisterForwardHook((_, _, o) => order.Add("model"));

        model.Call(Tensor.Ones([5, 4]));

        Assert.Equal(["0 5x3", "2 5x2", "model"], order);
    }

    [Fact]
    public void ForwardDirectly_SkipsTheHooks()
    {
        var layer = new Linear(2, 2, generator: new Generator(1));
        int calls = 0;
        using var _ = layer.RegisterForwardHook((_, _, _) => calls++);

        layer.Forward(Tensor.Ones([1, 2]));

        Assert.Equal(0, calls);
    }

    [Fact]
    public void LinearDefaultInit_IsUniformWithinOneOverRootFanIn()
    {
        const int fanIn = 400, fanOut = 500;
        var layer = new Linear(fanIn, fanOut, generator: new Generator(17));
        double bound = 1 / Math.Sqrt(fanIn);

        var w = layer.Weight.ToArray<float>().Select(v => (double)v).ToArray();
        var b = layer.Bias!.ToArray<float>().Select(v => (double)v).ToArray();

        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.All(b, v => Assert.InRange(v, -bound, bound));
        // U(−a, a): mean 0, variance a²/3 = 1/(3·fan_in). n = 200,000: 5 standard errors are 3.2e-4 (mean)
        // and 8.3e-6 of a variance of 8.3e-4 (fourth moment a⁴/5).
        Assert.Equal(0, w.Average(), 3.2e-4);
        Assert.Equal(1.0 / (3 * fanIn), Variance(w), 8.3e-6);
        // Both ends of the interval are reached: the distribution is not narrower than U(−a, a).
        Assert.True(w.Max() > 0.99 * bound && w.Min() < -0.99 * bound);
    }

    [Fact]
    public void LinearInit_SameGenerator_SameWeights()
    {
        var a = new Linear(8, 4, generator: new Generator(3));
        var b = new Linear(8, 4, generator: new Generator(3));

        Assert.Equal(a.Weight.ToArray<float>(), b.Weight.ToArray<float>());
        Assert.Equal(a.Bias!.ToArray<float>(), b.Bias!.ToArray<float>());
    }

    [Fact]
    public void Linear_WithoutBias_HasOnlyAWeight()
    {
        var layer = new Linear(3, 2, bias: false, generator: new Generator(1));

        Assert.Null(layer.Bias);
        Assert.Equal(["weight"], layer.StateDict().Keys);
        Assert.Equal("Linear(3 → 2, bias=False)", layer.Describe());
    }

    [Fact]
    public void ParameterCount_CountsEveryScalar()
    {
        var model = new Sequential(new Linear(784, 64, generator: new Generator(1)), new ReLU(), new Linear(64, 10, generator: new Generator(2)));

        Assert.Equal(784 * 64 + 64 + 64 * 10 + 10, model.ParameterCount());
        Assert.Equal(4, model.Parameters().Count());
    }

    [Fact]
    public void ParameterCount_ExcludesBuffers()
    {
        Assert.Equal(3 + 12 + 4, new Block(new Generator(1)).ParameterCount());
    }

    [Fact]
    public void ZeroGrad_ClearsEveryParameterGradient()
    {
        var model = Mlp(1);
        model.Call(Tensor.Ones([2, 4])).Sum().Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));

        model.ZeroGrad();

        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Backward_ThroughAModel_GivesEveryParameterAGradientOfItsShape()
    {
        var model = Mlp(1);

        model.Call(Tensor.Randn([5, 4], generator: new Generator(2))).Sum().Backward();

        Assert.All(model.Parameters(), p => Assert.Equal(p.Shape, p.Grad!.Shape));
    }

    [Fact]
    public void ToString_PrintsTheModuleTree()
    {
        var model = Mlp(1);

        Assert.Equal("Sequential(\n  (0): Linear(4 → 3)\n  (1): ReLU\n  (2): Linear(3 → 2)\n)", model.ToString());
    }

    private static double Variance(double[] v)
    {
        double mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
    }
}
