using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Runs modules one after another (<c>nn.Sequential</c>); children are named "0", "1", … as in PyTorch.</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> layers = [];

    /// <summary>Creates the chain.</summary>
    public Sequential(params Module<Tensor, Tensor>[] modules)
    {
        foreach (var m in modules) Append(m);
    }

    /// <summary>Adds a module at the end; returns this.</summary>
    public Sequential Append(Module<Tensor, Tensor> module)
    {
        layers.Add(RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));
        return this;
    }

    /// <summary>The i-th module.</summary>
    public Module<Tensor, Tensor> this[int index] => layers[index];

    /// <summary>Number of modules.</summary>
    public int Count => layers.Count;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        foreach (var layer in layers) input = layer.Call(input);
        return input;
    }
}
