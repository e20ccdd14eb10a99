using Nabla.Tensors;

namespace Nabla.Autograd;

/// <summary>One recorded operation in the autograd graph: it knows its inputs and how to turn the gradient
/// of its output into gradients of its inputs (PyTorch's <c>grad_fn</c>).</summary>
/// <remarks>
/// Subclasses implement <see cref="Backward"/> and call <see cref="AddGrad"/> once per input that
/// <see cref="NeedsGrad"/>. Backward runs with recording off and must never modify its gradient argument in
/// place. Saved tensors are wrapped in <see cref="SavedTensor"/> so in-place changes are detected.
/// </remarks>
public abstract class Node
{
    internal readonly Tensor?[] Inputs;

    /// <summary>The producer of each input when this node was recorded (null for leaves and inputs without grad).
    /// Edges bind to nodes, not to tensors, so a later in-place op that gives an input tensor a new history
    /// does not reroute gradients of operations recorded before it (PyTorch's next_functions).</summary>
    internal readonly Node?[] InputFns;
    internal Tensor? PendingGrad;
    internal bool PendingOwned;
    internal int Dependencies;
    internal int VisitPass;
    internal bool Released;
    internal List<Func<Tensor, Tensor?>>? Hooks;
    internal WeakReference<Tensor>? RetainedOutput;

    /// <summary>Records the inputs; only those that require grad keep a reference.</summary>
    protected Node(params ReadOnlySpan<Tensor> inputs)
    {
        Inputs = new Tensor?[inputs.Length];
        InputFns = new Node?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            Inputs[i] = inputs[i].RequiresGrad ? inputs[i] : null;
            InputFns[i] = inputs[i].GradFn;
        }
    }

    /// <summary>The operation's name, as shown in error messages and anomaly reports.</summary>
    public virtual string Name
    {
        get
        {
            string n = GetType().Name;
            return n.EndsWith("Op", StringComparison.Ordinal) ? n[..^2] : n;
        }
    }

    /// <summary>Adds the input gradients implied by <paramref name="gradOutput"/> (∂L/∂output).</summary>
    protected internal abstract void Backward(Tensor gradOutput);

    /// <summary>True when input <paramref name="i"/> requires a gradient.</summary>
    protected bool NeedsGrad(int i) => Inputs[i] is not null;

    /// <summary>Adds <paramref name="grad"/> (∂L/∂input, already in the input's shape) to input <paramref name="i"/>.</summary>
    protected void AddGrad(int i, Tensor grad)
    {
        var input = Inputs[i];
        if (input is null) return;
        if (!ShapeUtil.SameShape(input.ShapeSpan, grad.ShapeSpan))
            Throw.InvalidOperation($"{Name}: backward produced a gradient of shape {ShapeUtil.Format(grad.ShapeSpan)} for input {i} of shape {ShapeUtil.Format(input.ShapeSpan)}.");
        if (AnomalyMode.IsEnabled) AnomalyMode.CheckBackward(Name, i, grad);
        Engine.Accumulate(input, InputFns[i], grad);
    }

    /// <summary>Frees what was saved for backward; called once backward has run unless the graph is retained.</summary>
    protected internal virtual void ReleaseSaved() { }

    internal void Release()
    {
        ReleaseSaved();
        Array.Clear(Inputs);
        Array.Clear(InputFns);
        Released = true;
    }

    /// <summary>Wraps a tensor that backward will need, recording its version.</summary>
    protected SavedTensor Save(Tensor tensor) => new(tensor, this);
}

/// <summary>A tensor saved for backward, with the storage version it had when saved.</summary>
public readonly struct SavedTensor
{
    private readonly Tensor? tensor;
    private readonly int version;
    private readonly Node? owner;

    internal SavedTensor(Tensor tensor, Node owner)
    {
        this.tensor = tensor;
        version = tensor.Version;
        this.owner = owner;
    }

    /// <summary>The saved tensor; throws if it was modified in place since it was saved.</summary>
    public Tensor Value
    {
        get
        {
            if (tensor is null) return Throw.InvalidOperation<Tensor>($"{owner?.Name}: a saved tensor was released; the graph was already backpropagated (pass retainGraph: true to keep it).");
            if (tensor.Version != version)
                Throw.InvalidOperation($"{owner?.Name}: one of the tensors needed for gradient computation has been modified by an in-place operation: a {tensor.DType.TorchName()} tensor of shape {ShapeUtil.Format(tensor.ShapeSpan)} is at version {tensor.Version}; expected version {version}.");
            return tensor;
        }
    }
}
