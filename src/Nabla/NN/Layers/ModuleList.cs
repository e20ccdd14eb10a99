using System.Collections;
using System.Globalization;

namespace Nabla.NN;

/// <summary>Holds sub-modules in a list (<c>nn.ModuleList</c>); they are named "0", "1", … so their parameters appear
/// as <c>name.0.weight</c> in the state dict, as in PyTorch.</summary>
public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    private readonly List<T> items = [];

    /// <summary>Creates the list from <paramref name="modules"/>.</summary>
    public ModuleList(IEnumerable<T> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) Append(m);
    }

    /// <summary>Adds a module at the end; returns this.</summary>
    public ModuleList<T> Append(T module)
    {
        ArgumentNullException.ThrowIfNull(module);
        items.Add(RegisterModule(items.Count.ToString(CultureInfo.InvariantCulture), module));
        return this;
    }

    /// <summary>The i-th module.</summary>
    public T this[int index] => items[index];

    /// <summary>Number of modules.</summary>
    public int Count => items.Count;

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string Describe() => "ModuleList";
}
