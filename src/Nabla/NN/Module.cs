using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>The base of every layer and model (<c>torch.nn.Module</c>): it owns parameters, buffers and
/// sub-modules under PyTorch's names, so <see cref="StateDict"/> keys match PyTorch's dotted names.</summary>
/// <remarks>Register everything once in the constructor with <see cref="RegisterParameter"/>,
/// <see cref="RegisterBuffer"/> and <see cref="RegisterModule{T}"/>; each returns its argument.</remarks>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Parameter?>> parameters = [];
    private readonly List<KeyValuePair<string, Tensor?>> buffers = [];
    private readonly List<KeyValuePair<string, Module>> modules = [];

    /// <summary>True in training mode (dropout active, batch norm uses batch statistics).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>A short description used in messages and <see cref="ToString"/>, e.g. "Linear(784 → 256)".</summary>
    public virtual string Describe() => GetType().Name;

    /// <summary>Registers a parameter under <paramref name="name"/> (its state-dict key).</summary>
    protected Parameter RegisterParameter(string name, Tensor value)
    {
        CheckName(name);
        var p = value as Parameter ?? new Parameter(value);
        parameters.Add(new(name, p));
        return p;
    }

    /// <summary>Registers a non-learnable tensor saved in the state dict (running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        CheckName(name);
        buffers.Add(new(name, value));
        return value;
    }

    /// <summary>Registers a sub-module; its entries appear as "name.key" in the state dict.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        modules.Add(new(name, module));
        return module;
    }

    /// <summary>Replaces a registered buffer's tensor (e.g. a running mean updated out of place).</summary>
    protected void SetBuffer(string name, Tensor value)
    {
        int i = buffers.FindIndex(b => b.Key == name);
        if (i < 0) throw new ArgumentException($"{Describe()}: no buffer named '{name}'.", nameof(name));
        buffers[i] = new(name, value);
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"{Describe()}: '{name}' is not a valid name (non-empty, no '.').", nameof(name));
        if (parameters.Exists(p => p.Key == name) || buffers.Exists(b => b.Key == name) || modules.Exists(m => m.Key == name))
            throw new ArgumentException($"{Describe()}: '{name}' is already registered.", nameof(name));
    }

    /// <summary>Direct sub-modules with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var m in modules) yield return (m.Key, m.Value);
    }

    /// <summary>This module and every descendant, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var m in modules)
            foreach (var d in m.Value.NamedModules(prefix.Length == 0 ? m.Key : prefix + "." + m.Key))
                yield return d;
    }

    /// <summary>Every parameter with its dotted name, in registration order (<c>named_parameters</c>).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach (var (prefix, module) in NamedModules())
            foreach (var p in module.parameters)
                if (p.Value is not null) yield return (Join(prefix, p.Key), p.Value);
    }

    /// <summary>Every parameter (<c>parameters()</c>).</summary>
    public IEnumerable<Parameter> Parameters()
    {
        foreach (var (_, p) in NamedParameters()) yield return p;
    }

    /// <summary>Every buffer with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (prefix, module) in NamedModules())
            foreach (var b in module.buffers)
                if (b.Value is not null) yield return (Join(prefix, b.Key), b.Value);
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>Number of learnable scalars.</summary>
    public long ParameterCount()
    {
        long n = 0;
        foreach (var p in Parameters()) n += p.NumEl;
        return n;
    }

    /// <summary>Sets training mode here and in every sub-module (<c>train()</c>); returns this module.</summary>
    public Module Train(bool mode = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = mode;
        return this;
    }

    /// <summary>Sets evaluation mode (<c>eval()</c>); returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears every parameter's gradient (sets it to null, PyTorch's default set_to_none).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = null;
    }

    /// <summary>Parameters then buffers of every module under PyTorch's dotted names, in registration order (<c>state_dict()</c>).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var p in module.parameters) if (p.Value is not null) result.Add(Join(prefix, p.Key), p.Value.Detach());
            foreach (var b in module.buffers) if (b.Value is not null) result.Add(Join(prefix, b.Key), b.Value.Detach());
        }
        return result;
    }

    /// <summary>Copies values from <paramref name="state"/> into this module's parameters and buffers (<c>load_state_dict</c>).</summary>
    /// <remarks>With <paramref name="strict"/>, missing and unexpected keys are errors. Shapes must match; values
    /// are converted to each parameter's dtype. Everything is validated before anything is copied.</remarks>
    public LoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
            throw new ArgumentException($"LoadStateDict({Describe()}): missing keys [{string.Join(", ", missing)}]; unexpected keys [{string.Join(", ", unexpected)}].");
        foreach (var (key, target) in own)
        {
            if (!state.TryGetValue(key, out var source)) continue;
            if (!target.Shape.SequenceEqual(source.Shape))
                throw new ShapeMismatchException("LoadStateDict", ShapeUtil.Format(target.ShapeSpan), ShapeUtil.Format(source.ShapeSpan),
                    $"LoadStateDict({Describe()}): '{key}' has shape {ShapeUtil.Format(source.ShapeSpan)} in the state dict but {ShapeUtil.Format(target.ShapeSpan)} in the model.");
        }
        foreach (var (key, target) in own)
            if (state.TryGetValue(key, out var source)) { target.CopyFromRaw(source); target.Storage.Version++; }
        return new LoadResult(missing, unexpected);
    }

    /// <summary>A tree of the module and its children, like PyTorch's print(model).</summary>
    public override string ToString()
    {
        if (modules.Count == 0) return Describe();
        var sb = new System.Text.StringBuilder();
        sb.Append(GetType().Name).Append("(\n");
        foreach (var m in modules)
            sb.Append("  (").Append(m.Key).Append("): ").Append(m.Value.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
        return sb.Append(')').ToString();
    }
}

/// <summary>Keys that <see cref="Module.LoadStateDict"/> did not find or did not expect.</summary>
public sealed record LoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
