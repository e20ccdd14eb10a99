using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>A module with a typed forward pass; call it with <see cref="Call"/> (PyTorch's <c>module(x)</c>),
/// which runs forward hooks around <see cref="Forward"/>.</summary>
public abstract class Module<TIn, TOut> : Module
{
    private List<Action<Module, TIn, TOut>>? forwardHooks;

    /// <summary>The computation; override it, call <see cref="Call"/>.</summary>
    public abstract TOut Forward(TIn input);

    /// <summary>Runs <see cref="Forward"/> and then every forward hook.</summary>
    public TOut Call(TIn input)
    {
        var output = Forward(input);
        if (forwardHooks is not null)
            foreach (var hook in forwardHooks) hook(this, input, output);
        return output;
    }

    /// <summary>Adds a hook called after every forward pass with (module, input, output) (<c>register_forward_hook</c>).
    /// Dispose the returned handle to remove it.</summary>
    public IDisposable RegisterForwardHook(Action<Module, TIn, TOut> hook)
    {
        (forwardHooks ??= []).Add(hook);
        return new HookHandle(() => forwardHooks.Remove(hook));
    }

    private sealed class HookHandle(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
