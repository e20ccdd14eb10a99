using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>Builds an optimizer's flat state dict: per-parameter state first, then each group's hyper-parameters,
/// in the order PyTorch's <c>state_dict()</c> lists them.</summary>
/// <remarks>Hyper-parameters are 0-d float64 tensors, flags 0-d bool, pairs (Adam's betas) float64 [2], "params"
/// int64 [n] (the indices of the group's parameters) and "step" a 0-d int64 (PyTorch keeps a float32 tensor; an
/// integer stays exact past 2²⁴ steps). Buffers are the optimizer's own tensors, not copies.</remarks>
internal sealed class OptimizerStateWriter
{
    private readonly OrderedDictionary<string, Tensor> state = new();
    private readonly OrderedDictionary<string, Tensor> groups = new();
    private int groupCount, parameterCount;

    /// <summary>Starts the next group of <paramref name="size"/> parameters; returns the index of its first parameter.</summary>
    public int BeginGroup(int size)
    {
        int first = parameterCount;
        var indices = Tensor.Uninitialized([size], DType.Int64);
        var span = indices.Span<long>();
        for (int i = 0; i < size; i++) span[i] = first + i;
        groups.Add(OptimizerStateKeys.Group(groupCount, "params"), indices);
        parameterCount += size;
        groupCount++;
        return first;
    }

    /// <summary>A number of the current group, e.g. "lr".</summary>
    public void Hyper(string name, double value) => groups.Add(OptimizerStateKeys.Group(groupCount - 1, name), Tensor.Scalar(value, DType.Float64));

    /// <summary>A flag of the current group, e.g. "nesterov".</summary>
    public void Flag(string name, bool value) => groups.Add(OptimizerStateKeys.Group(groupCount - 1, name), Tensor.Scalar(value ? 1 : 0, DType.Bool));

    /// <summary>A pair of numbers of the current group, e.g. "betas".</summary>
    public void Pair(string name, double first, double second) =>
        groups.Add(OptimizerStateKeys.Group(groupCount - 1, name), Tensor.FromArray<double>([first, second]));

    /// <summary>The update count of parameter <paramref name="parameter"/>.</summary>
    public void Step(int parameter, long step)
    {
        var t = Tensor.Uninitialized([], DType.Int64);
        t.Span<long>()[0] = step;
        state.Add(OptimizerStateKeys.State(parameter, "step"), t);
    }

    /// <summary>A state buffer of parameter <paramref name="parameter"/>, e.g. "exp_avg".</summary>
    public void Buffer(int parameter, string name, Tensor? value)
    {
        if (value is not null) state.Add(OptimizerStateKeys.State(parameter, name), value.Detach());
    }

    /// <summary>The state dict: "state.*" then "param_groups.*".</summary>
    public IReadOnlyDictionary<string, Tensor> Result()
    {
        var result = new OrderedDictionary<string, Tensor>(state.Count + groups.Count);
        foreach (var (k, v) in state) result.Add(k, v);
        foreach (var (k, v) in groups) result.Add(k, v);
        return result;
    }
}
