using Nabla.Tensors;

namespace Nabla.Autograd;

/// <summary>A user-defined differentiable operation: you supply forward and backward, as with
/// <c>torch.autograd.Function</c>.</summary>
/// <example><code>
/// sealed class Cube : Function
/// {
///     protected override Tensor Forward(FunctionContext ctx, Tensor[] x) { ctx.SaveForBackward(x[0]); return x[0].Pow(3); }
///     protected override Tensor?[] Backward(FunctionContext ctx, Tensor dy) => [dy.Mul(ctx.Saved[0].Square().Mul(3))];
/// }
/// var y = new Cube().Apply(x);
/// </code></example>
public abstract class Function
{
    /// <summary>Computes the output; runs without recording, so only this function's own node enters the graph.</summary>
    protected abstract Tensor Forward(FunctionContext ctx, Tensor[] inputs);

    /// <summary>Returns ∂L/∂input for each input (null where not needed), given ∂L/∂output.</summary>
    protected abstract Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput);

    /// <summary>Runs forward and records the node when any input requires grad.</summary>
    public Tensor Apply(params Tensor[] inputs)
    {
        var ctx = new FunctionContext(inputs);
        Tensor y;
        using (GradMode.NoGrad()) y = Forward(ctx, inputs);
        if (!Graph.ShouldRecord(inputs)) return y;
        if (!y.DType.IsFloatingPoint()) Throw.InvalidOperation($"{GetType().Name}: a differentiable function must return a floating-point tensor.");
        y = y.IsLeaf ? y : y.Detach();
        return Graph.Record(y, new FunctionNode(this, ctx, inputs));
    }

    private sealed class FunctionNode(Function function, FunctionContext ctx, Tensor[] inputs) : Node(inputs)
    {
        public override string Name => function.GetType().Name;

        protected internal override void Backward(Tensor gradOutput)
        {
            var grads = function.Backward(ctx, gradOutput);
            if (grads.Length != Inputs.Length)
                Throw.InvalidOperation($"{Name}: Backward returned {grads.Length} gradients for {Inputs.Length} inputs.");
            for (int i = 0; i < grads.Length; i++)
                if (grads[i] is { } g && NeedsGrad(i)) AddGrad(i, g);
        }

        protected internal override void ReleaseSaved() => ctx.Release();
    }
}

/// <summary>What a <see cref="Function"/>'s forward passes to its backward (<c>ctx</c> in PyTorch).</summary>
public sealed class FunctionContext
{
    private readonly bool[] needsInputGrad;
    private Tensor[] saved = [];
    private int[] versions = [];

    internal FunctionContext(Tensor[] inputs)
    {
        needsInputGrad = new bool[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) needsInputGrad[i] = inputs[i].RequiresGrad;
    }

    /// <summary>Whether input <paramref name="i"/> needs a gradient (<c>ctx.needs_input_grad</c>).</summary>
    public bool NeedsInputGrad(int i) => needsInputGrad[i];

    /// <summary>Keeps tensors for backward; in-place changes to them before backward are detected.</summary>
    public void SaveForBackward(params Tensor[] tensors)
    {
        saved = tensors;
        versions = Array.ConvertAll(tensors, t => t.Version);
    }

    /// <summary>The tensors given to <see cref="SaveForBackward"/>.</summary>
    public IReadOnlyList<Tensor> Saved
    {
        get
        {
            for (int i = 0; i < saved.Length; i++)
                if (saved[i].Version != versions[i])
                    Throw.InvalidOperation($"FunctionContext: saved tensor {i} was modified by an in-place operation after it was saved (version {saved[i].Version}, expected {versions[i]}).");
            return saved;
        }
    }

    /// <summary>Extra values for backward (shapes, flags), like attributes set on <c>ctx</c>.</summary>
    public Dictionary<string, object> Items { get; } = [];

    internal void Release() { saved = []; versions = []; }
}
