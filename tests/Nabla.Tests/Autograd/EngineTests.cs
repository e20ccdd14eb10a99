using Nabla.Autograd;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.Autograd;

public sealed class EngineTests
{
    private static Tensor Leaf(params double[] values) => Tensor.FromArray<double>(values, requiresGrad: true);

    [Fact]
    public void Backward_OfAScalar_SeedsWithOne()
    {
        var x = Leaf(1, 2, 3);

        (x * x).Sum().Backward();

        Expect.Values(x.Grad!, [3], [2, 4, 6]);
    }

    [Fact]
    public void Backward_OfAOneElementNonScalar_SeedsWithOne()
    {
        var x = Leaf(3);

        (x * 4).Backward();

        Expect.Values(x.Grad!, [1], [4]);
    }

    [Fact]
    public void Backward_WithAnExplicitGradient_ContractsWithIt()
    {
        var x = Leaf(1, 2, 3);
        var y = x * x;

        y.Backward(Tensor.FromArray<double>([1, 10, 100]));

        Expect.Values(x.Grad!, [3], [2, 40, 600]);
    }

    [Fact]
    public void Backward_OfANonScalarWithoutGradient_Throws()
    {
        var y = Tensor.Ones([2, 3], requiresGrad: true) * 2;

        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());

        Assert.Equal("Backward: a gradient can be created implicitly only for a one-element output; this output has shape [2, 3]. Pass the output gradient explicitly.", e.Message);
    }

    [Fact]
    public void Backward_OfATensorThatDoesNotRequireGrad_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Ones([1]).Sum().Backward());

        Assert.Equal("Backward: the tensor of shape [] does not require grad and has no grad_fn; set RequiresGrad on a leaf it depends on.", e.Message);
    }

    [Fact]
    public void Backward_OnALeaf_AccumulatesTheSeedIntoItsGrad()
    {
        var x = Leaf(5);

        x.Backward();

        Expect.Values(x.Grad!, [1], [1]);
    }

    [Fact]
    public void Gradients_AccumulateAcrossTwoBackwardCalls()
    {
        var x = Leaf(1, -2);

        (x * 3).Sum().Backward();
        (x * x).Sum().Backward();

        // 3 + 2x
        Expect.Values(x.Grad!, [2], [5, -1]);
    }

    [Fact]
    public void TensorUsedTwice_InAProduct_GetsBothContributions()
    {
        var x = Leaf(1.5, -2);

        (x * x).Sum().Backward();

        Expect.Values(x.Grad!, [2], [3, -4]);
    }

    [Fact]
    public void TensorUsedTwice_InASum_GetsTwo()
    {
        var x = Leaf(1.5, -2);

        (x + x).Sum().Backward();

        Expect.Values(x.Grad!, [2], [2, 2]);
    }

    [Fact]
    public void DiamondGraph_SumsBothPaths()
    {
        var x = Leaf(2);
        var a = x * 3;
        var b = x.Exp();

        // d/dx (3x · eˣ) = 3eˣ + 3x·eˣ
        (a * b).Sum().Backward();

        Assert.Equal(3 * Math.Exp(2) * 3, x.Grad!.Item(), 12);
    }

    [Fact]
    public void GradOfAUsedTwiceIntermediate_IsTheSumOfBothUses()
    {
        var x = Leaf(1, 2);
        var y = x * 2;
        y.RetainGrad();

        (y * y + y).Sum().Backward();

        // dL/dy = 2y + 1 = [5, 9];  dL/dx = 2·dL/dy
        Expect.Values(y.Grad!, [2], [5, 9]);
        Expect.Values(x.Grad!, [2], [10, 18]);
    }

    [Fact]
    public void SecondBackward_WithoutRetainGraph_ThrowsAClearMessage()
    {
        var x = Leaf(1, 2);
        var y = (x * x).Sum();
        y.Backward();

        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());

        Assert.Equal("Backward: trying to backward through the graph a second time (Sum was already freed). Pass retainGraph: true to the first Backward call if you need to backpropagate twice.", e.Message);
    }

    [Fact]
    public void SecondBackward_WithRetainGraph_DoublesTheGradient()
    {
        var x = Leaf(1, 2);
        var y = (x * x).Sum();

        y.Backward(retainGraph: true);
        y.Backward();

        Expect.Values(x.Grad!, [2], [4, 8]);
    }

    [Fact]
    public void Detach_CutsTheGraph()
    {
        var x = Leaf(3);
        var y = x * x;

        var z = y.Detach() * x;   // d/dx (c·x) with c = 9 held constant
        z.Sum().Backward();

        Assert.Equal(9, x.Grad!.Item());
        Assert.False(y.Detach().RequiresGrad);
    }

    [Fact]
    public void NoGrad_RecordsNothing()
    {
        var x = Leaf(1, 2);

        Tensor y;
        using (Tensor.NoGrad())
        {
            Assert.False(GradMode.IsEnabled);
            y = x * 2 + 1;
        }

        Assert.True(GradMode.IsEnabled);
        Assert.Null(y.GradFn);
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
    }

    [Fact]
    public void NoGrad_Nests()
    {
        using (Tensor.NoGrad())
        {
            using (Tensor.NoGrad()) Assert.False(GradMode.IsEnabled);
            Assert.False(GradMode.IsEnabled);
        }
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void RequiresGrad_PropagatesToResults()
    {
        var a = Leaf(1);
        var b = Tensor.FromArray<double>([2]);

        var c = a * b;
        var d = b * b;

        Assert.True(c.RequiresGrad);
        Assert.False(c.IsLeaf);
        Assert.Equal("Mul", c.GradFn!.Name);
        Assert.False(d.RequiresGrad);
        Assert.Null(d.GradFn);
    }

    [Fact]
    public void RequiresGrad_CannotBeTurnedOffOnANonLeaf()
    {
        var y = Leaf(1) * 2;

        var e = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);

        Assert.Equal("RequiresGrad: cannot turn off gradients of a non-leaf tensor; use Detach() instead.", e.Message);
    }

    [Fact]
    public void RequiresGrad_CanBeTurnedOffOnALeaf()
    {
        var x = Leaf(1);

        x.RequiresGrad = false;

        Assert.False((x * 2).RequiresGrad);
    }

    [Fact]
    public void InputThatDoesNotRequireGrad_GetsNoGrad()
    {
        var a = Leaf(1, 2);
        var b = Tensor.FromArray<double>([3, 4]);

        (a * b).Sum().Backward();

        Assert.Null(b.Grad);
        Expect.Values(a.Grad!, [2], [3, 4]);
    }

    [Fact]
    public void ZeroGrad_ClearsTheGradient()
    {
        var x = Leaf(1);
        (x * 2).Sum().Backward();

        x.ZeroGrad();

        Assert.Null(x.Grad);
    }

    [Fact]
    public void GradOfANonLeaf_IsNotKeptWithoutRetainGrad()
    {
        var x = Leaf(1, 2);
        var y = x * 2;

        y.Sum().Backward();

        Assert.Null(y.Grad);
    }

    [Fact]
    public void RetainGrad_KeepsTheGradientOfANonLeaf()
    {
        var x = Leaf(1, 2);
        var y = x * 2;
        y.RetainGrad();

        (y * y).Sum().Backward();

        Expect.Values(y.Grad!, [2], [4, 8]);
    }

    [Fact]
    public void HookOnALeaf_ObservesTheGradient()
    {
        var x = Leaf(1, 2);
        Tensor? seen = null;
        x.RegisterHook(g => { seen = g.Clone(); return null; });

        (x * 3).Sum().Backward();

        Expect.Values(seen!, [2], [3, 3]);
        Expect.Values(x.Grad!, [2], [3, 3]);
    }

    [Fact]
    public void HookOnALeaf_CanReplaceTheGradient()
    {
        var x = Leaf(1, 2);
        x.RegisterHook(g => g * 10);

        (x * 3).Sum().Backward();

        Expect.Values(x.Grad!, [2], [30, 30]);
    }

    [Fact]
    public void HookOnALeafUsedTwice_RunsOnceOnTheSummedGradient()
    {
        var x = Leaf(1);
        var calls = new List<double>();
        x.RegisterHook(g => { calls.Add(g.Item()); return null; });

        (x * 3 + x * 5).Sum().Backward();

        Assert.Equal([8.0], calls);
    }

    [Fact]
    public void HookOnANonLeaf_ObservesAndReplacesTheGradientFlowingThrough()
    {
        var x = Leaf(1, 2);
        var y = x * 2;
        Tensor? seen = null;
        y.RegisterHook(g => { seen = g.Clone(); return g * -1; });

        (y * 3).Sum().Backward();

        Expect.Values(seen!, [2], [3, 3]);
        Expect.Values(x.Grad!, [2], [-6, -6]);
    }

    [Fact]
    public void HookOnANonLeafUsedTwice_RunsOnceOnTheSummedGradient()
    {
        var x = Leaf(1);
        var y = x * 2;
        var calls = new List<double>();
        y.RegisterHook(g => { calls.Add(g.Item()); return null; });

        (y * 3 + y * 5).Sum().Backward();

        Assert.Equal([8.0], calls);
        Assert.Equal(16, x.Grad!.Item());
    }

    [Fact]
    public void RegisterHook_OnATensorThatDoesNotRequireGrad_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.Ones([1]).RegisterHook(g => g));

        Assert.Equal("RegisterHook: cannot register a hook on a tensor that does not require grad.", e.Message);
    }

    [Fact]
    public void InPlaceChangeOfASavedOutput_MakesBackwardThrowNamingTheOpAndVersions()
    {
        var x = Leaf(1, 2, 3);
        var y = x.Exp();   // Exp saves its output
        y.Mul_(2);

        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());

        Assert.Equal("Exp: one of the tensors needed for gradient computation has been modified by an in-place operation: a float64 tensor of shape [3] is at version 1; expected version 0.", e.Message);
    }

    [Fact]
    public void InPlaceChangeOfASavedInputThatNeedsNoGrad_MakesBackwardThrow()
    {
        var a = Leaf(1, 2);
        var b = Tensor.FromArray<double>([3, 4]);
        var c = a * b;   // Mul saves b for a's gradient
        b.Add_(1);

        var e = Assert.Throws<InvalidOperationException>(() => c.Sum().Backward());

        Assert.StartsWith("Mul: one of the tensors needed for gradient computation has been modified by an in-place operation", e.Message, StringComparison.Ordinal);
        Assert.Contains("is at version 1; expected version 0.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InPlaceChangeThroughAView_IsDetectedToo()
    {
        var a = Leaf(1, 2);
        var b = Tensor.FromArray<double>([3, 4]);
        var c = a * b;
        b.Narrow(0, 1, 1).Fill_(0);

        Assert.Throws<InvalidOperationException>(() => c.Sum().Backward());
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGrad_Throws()
    {
        var x = Leaf(1, 2);

        var e = Assert.Throws<InvalidOperationException>(() => x.Add_(1));

        Assert.Equal("Add_: a leaf tensor that requires grad is being used in an in-place operation; wrap the update in Tensor.NoGrad() or use the out-of-place op.", e.Message);
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGrad_IsAllowedUnderNoGrad()
    {
        var x = Leaf(1, 2);

        using (Tensor.NoGrad()) x.Mul_(3);

        Expect.Values(x, [2], [3, 6]);
        Assert.True(x.IsLeaf);
        Assert.Equal(1, x.Version);
    }

    [Fact]
    public void InPlaceReluOnANonLeaf_GivesCorrectGradients()
    {
        var x = Leaf(-1, 0.5, 2);
        var y = x * 2;

        y.Relu_();
        y.Sum().Backward();

        Expect.Values(y, [3], [0, 1, 4]);
        Expect.Values(x.Grad!, [3], [0, 2, 2]);
        Assert.Equal("Relu", y.GradFn!.Name);
    }

    [Fact]
    public void ChainedInPlaceOpsOnANonLeaf_GiveCorrectGradients()
    {
        var x = Leaf(1, -3);
        var y = x * x;

        y.Add_(1).Mul_(x).Clamp_(max: 5);   // y = min((x² + 1)·x, 5)
        y.Sum().Backward();

        // x = 1: y = 2 < 5, dy/dx = 3x² + 1 = 4;  x = −3: y = −30, dy/dx = 28
        Expect.Values(y, [2], [2, -30]);
        Expect.Values(x.Grad!, [2], [4, 28]);
    }

    [Fact]
    public void InPlaceAddOfATensorThatRequiresGrad_SendsTheGradientToIt()
    {
        var w = Leaf(1, 2);
        var y = Tensor.FromArray<double>([10, 20]);

        y.Add_(w, alpha: 3);
        y.Sum().Backward();

        Expect.Values(y, [2], [13, 26]);
        Expect.Values(w.Grad!, [2], [3, 3]);
    }

    [Fact]
    public void CopyIntoATensor_SendsTheGradientToTheSourceOnly()
    {
        var src = Leaf(4, 5);
        var x = Leaf(1, 2);
        var y = x * 3;

        y.Copy_(src);
        (y * y).Sum().Backward();

        Expect.Values(src.Grad!, [2], [8, 10]);
        Expect.Values(x.Grad!, [2], [0, 0]);
    }

    [Fact]
    public void InPlaceThroughAViewOfALeafThatRequiresGrad_Throws()
    {
        var x = Leaf(1, 2);

        Assert.Throws<InvalidOperationException>(() => x.Narrow(0, 0, 1).Add_(1));
    }

    [Fact]
    public void InPlaceOnAViewOfANonLeaf_UpdatesTheBasesGradient()
    {
        var x = Leaf(1, 2);
        var src = Leaf(4);
        var y = x * 3;

        y.Narrow(0, 0, 1).Copy_(src);
        (y * y).Sum().Backward();

        Expect.Values(y, [2], [4, 6]);
        Expect.Values(x.Grad!, [2], [0, 36]);
        Expect.Values(src.Grad!, [1], [8]);
    }

    [Fact]
    public void InPlaceOp_BumpsTheVersion()
    {
        var t = Tensor.Zeros([2]);

        t.Add_(1);
        t.Mul_(2);

        Assert.Equal(2, t.Version);
    }

    [Fact]
    public void UserFunction_ForwardAndBackwardPassGradCheck()
    {
        var x = Tensor.Randn([3, 2], DType.Float64, new Generator(3), requiresGrad: true);

        var y = new Cube().Apply(x);

        Assert.Equal("Cube", y.GradFn!.Name);
        Expect.Close(OpCase.ToRef(x).Map(v => v * v * v), OpCase.ToRef(y), 1e-14, 1e-14, "Cube forward");
        GradCheck.Assert(t => new Cube().Apply(t[0]), x);
    }

    [Fact]
    public void UserFunction_WithTwoInputs_ComposesWithBuiltInOps()
    {
        var a = Tensor.Randn([4], DType.Float64, new Generator(4), requiresGrad: true);
        var b = Tensor.Randn([4], DType.Float64, new Generator(5), requiresGrad: true);

        GradCheck.Assert(t => new WeightedProduct().Apply(t[0].Exp(), t[1]).Sin(), a, b);
    }

    [Fact]
    public void UserFunction_InputThatDoesNotRequireGrad_GetsNone()
    {
        var a = Leaf(1, 2);
        var b = Tensor.FromArray<double>([3, 4]);
        bool[]? needs = null;

        new WeightedProduct(n => needs = n).Apply(a, b).Sum().Backward();

        Assert.Equal([true, false], needs!);   // set: backward ran
        Assert.Null(b.Grad);
        Expect.Values(a.Grad!, [2], [6, 8]);
    }

    [Fact]
    public void UserFunction_SavedTensorModifiedInPlace_Throws()
    {
        var x = Leaf(1, 2);
        var t = Tensor.FromArray<double>([3, 4]);
        var y = new SavesSecond().Apply(x, t);
        t.Mul_(2);

        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());

        Assert.Equal("FunctionContext: saved tensor 0 was modified by an in-place operation after it was saved (version 1, expected 0).", e.Message);
    }

    [Fact]
    public void UserFunction_WithoutInputsThatRequireGrad_RecordsNothing()
    {
        var y = new Cube().Apply(Tensor.FromArray<double>([2]));

        Assert.Null(y.GradFn);
        Assert.Equal(8, y.Item());
    }

    [Fact]
    public void DeepChainOf10000Ops_BackpropagatesWithoutStackOverflow()
    {
        var x = Tensor.FromArray<double>([1], requiresGrad: true);

        var y = x;
        for (int i = 0; i < 10_000; i++) y = y * 1.0001;
        y.Sum().Backward();

        Assert.Equal(Math.Pow(1.0001, 10_000), x.Grad!.Item(), 9);
    }

    [Fact]
    public void DeepChainOfMixedOps_BackpropagatesWithoutStackOverflow()
    {
        var x = Tensor.FromArray<double>([0.5], requiresGrad: true);

        var y = x;
        for (int i = 0; i < 5_000; i++) y = (y + 0.001).Tanh();   // 10,000 nodes
        y.Sum().Backward();

        // Chain rule in double: y ← tanh(y + 0.001), dy_new/dy = 1 − y_new².
        double v = 0.5, d = 1;
        for (int i = 0; i < 5_000; i++) { v = Math.Tanh(v + 0.001); d *= 1 - v * v; }
        Assert.Equal(v, y.Item(), 12);
        Assert.Equal(d, x.Grad!.Item(), 12);
    }

    /// <summary>y = x³, dy/dx = 3x².</summary>
    private sealed class Cube : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return inputs[0] * inputs[0] * inputs[0];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) =>
            [gradOutput * ctx.Saved[0].Square() * 3];
    }

    /// <summary>y = 2·a·b, da = 2b·dy, db = 2a·dy; reports which inputs need a gradient.</summary>
    private sealed class WeightedProduct(Action<bool[]>? report = null) : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0], inputs[1]);
            return inputs[0] * inputs[1] * 2;
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            report?.Invoke([ctx.NeedsInputGrad(0), ctx.NeedsInputGrad(1)]);
            var (a, b) = (ctx.Saved[0], ctx.Saved[1]);
            return [ctx.NeedsInputGrad(0) ? gradOutput * b * 2 : null, ctx.NeedsInputGrad(1) ? gradOutput * a * 2 : null];
        }
    }

    /// <summary>y = x·t with only t saved.</summary>
    private sealed class SavesSecond : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[1]);
            return inputs[0] * inputs[1];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * ctx.Saved[0], null];
    }

    [Fact]
    public void InPlaceOp_DoesNotRerouteGradientsOfOperationsRecordedBeforeIt()
    {
        // Edges bind to the producer node at record time: z was computed from y's old history, so the later
        // Relu_ on y must not change dz/dx (PyTorch's next_functions behave the same).
        var x = Tensor.FromArray<double>([-1, 2], requiresGrad: true);
        var y = x * 2;
        var z = y * 3;
        y.Relu_();

        z.Sum().Backward();

        Assert.Equal([6.0, 6.0], x.Grad!.ToArray<double>());
        Assert.Equal([0.0, 4.0], y.ToArray<double>());
    }
}
