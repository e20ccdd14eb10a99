using Nabla.Autograd;

namespace Nabla.Tensors;

// The autograd state of a tensor. Kept in Autograd/ so that Tensors/ never reaches up into Autograd/.
public partial class Tensor
{
    private bool requiresGrad;

    /// <summary>The node that produced this tensor, or null for a leaf (<c>tensor.grad_fn</c>).</summary>
    public Node? GradFn { get; internal set; }

    /// <summary>The accumulated gradient ∂L/∂this after <see cref="Backward"/> (<c>tensor.grad</c>).</summary>
    public Tensor? Grad { get; set; }

    internal List<Func<Tensor, Tensor?>>? LeafHooks;

    /// <summary>For a view made by a differentiable view op (View, Transpose, Slice, …): the tensor it is a view of
    /// (the root, never another view). In-place writes through the view must update the base's history.</summary>
    internal Tensor? ViewBase;

    /// <summary>A leaf's gradient summed over this backward pass, held until its hooks run once on the total.</summary>
    internal Tensor? PendingLeafGrad;

    /// <summary>Whether autograd tracks operations on this tensor (<c>tensor.requires_grad</c>).
    /// Settable only on leaves, and only for floating-point and complex tensors.</summary>
    public bool RequiresGrad
    {
        get => requiresGrad || GradFn is not null;
        set
        {
            if (GradFn is not null)
            {
                if (!value) Throw.InvalidOperation("RequiresGrad: cannot turn off gradients of a non-leaf tensor; use Detach() instead.");
                return;
            }
            if (value && !DType.IsFloatingPoint() && !DType.IsComplex())
                Throw.DType("RequiresGrad", DType, "float32, float64 or complex64 (only floating-point and complex tensors can require gradients)");
            requiresGrad = value;
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (<c>tensor.requires_grad_()</c>).</summary>
    public Tensor RequiresGrad_(bool requires = true)
    {
        RequiresGrad = requires;
        return this;
    }

    /// <summary>True for tensors not produced by a recorded operation (<c>tensor.is_leaf</c>).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Computes the gradient of this tensor with respect to every leaf that requires grad, adding it
    /// into their <see cref="Grad"/> (<c>tensor.backward()</c>).</summary>
    /// <param name="gradient">∂L/∂this; may be omitted for a one-element tensor (then 1).</param>
    /// <param name="retainGraph">Keep the graph so Backward can run through it again.</param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) => Engine.Run(this, gradient, retainGraph);

    /// <summary>A tensor sharing this one's storage, cut from the graph (<c>tensor.detach()</c>).</summary>
    public Tensor Detach() => new(Storage, shape, strides, Offset);

    /// <summary>Registers a function called with this tensor's gradient during backward; returning a tensor
    /// replaces the gradient (<c>tensor.register_hook</c>).</summary>
    public void RegisterHook(Func<Tensor, Tensor?> hook)
    {
        if (!RequiresGrad) Throw.InvalidOperation("RegisterHook: cannot register a hook on a tensor that does not require grad.");
        if (GradFn is null) (LeafHooks ??= []).Add(hook);
        else (GradFn.Hooks ??= []).Add(hook);
    }

    /// <summary>Keeps the gradient of this non-leaf tensor in <see cref="Grad"/> after backward (<c>tensor.retain_grad()</c>).</summary>
    public void RetainGrad()
    {
        if (GradFn is not null) GradFn.RetainedOutput = new WeakReference<Tensor>(this);
    }

    /// <summary>Sets the gradient to null (<c>tensor.grad = None</c>).</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>", grad_fn=&lt;…&gt;" or ", requires_grad=True" for ToString, as PyTorch prints them.</summary>
    private string AutogradSummary() =>
        GradFn is not null ? $", grad_fn=<{GradFn.Name}Backward>" : RequiresGrad ? ", requires_grad=True" : "";

    /// <summary>Stops recording operations until the scope is disposed (<c>torch.no_grad()</c>).</summary>
    public static NoGradScope NoGrad() => GradMode.NoGrad();
}
