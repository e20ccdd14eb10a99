using System.Globalization;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>Reads a flat optimizer state dict (see <see cref="OptimizerStateWriter"/>) against an optimizer's groups,
/// checking every key, count, shape and dtype; nothing is applied here, so a refused dict leaves the optimizer untouched.</summary>
/// <remarks>Errors are <see cref="ArgumentException"/>s: "Adam.LoadStateDict: 'state.3.exp_avg' has shape [10] but parameter 3 has shape [10, 32]."</remarks>
internal sealed class OptimizerStateReader
{
    private readonly string op;
    private readonly IReadOnlyDictionary<string, Tensor> state;
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly HashSet<string> read = new(StringComparer.Ordinal);
    private readonly HashSet<int> withState = [];

    /// <param name="optimizer">The optimizer's name, for messages ("Adam").</param>
    /// <param name="state">The state dict to read.</param>
    /// <param name="groupSizes">How many parameters each of the optimizer's groups holds.</param>
    /// <param name="parameters">Every parameter, groups in order.</param>
    public OptimizerStateReader(string optimizer, IReadOnlyDictionary<string, Tensor> state, IReadOnlyList<int> groupSizes, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        op = $"{optimizer}.LoadStateDict";
        this.state = state;
        this.parameters = parameters;

        int groupsInDict = 0;
        foreach (string key in state.Keys)
        {
            if (!OptimizerStateKeys.TryParse(key, out bool isState, out int index, out _))
                throw Error($"unexpected key '{key}'; expected 'state.{{i}}.NAME' or 'param_groups.{{g}}.NAME'");
            if (isState)
            {
                if (index >= parameters.Count)
                    throw Error($"'{key}' names parameter {index}, but the optimizer has {parameters.Count} parameters");
                withState.Add(index);
            }
            else groupsInDict = Math.Max(groupsInDict, index + 1);
        }
        if (groupsInDict != groupSizes.Count)
            throw Error($"the state dict has {groupsInDict} parameter groups but the optimizer has {groupSizes.Count}");

        int first = 0;
        for (int g = 0; g < groupSizes.Count; g++)
        {
            CheckParams(g, first, groupSizes[g]);
            first += groupSizes[g];
        }
    }

    /// <summary>Whether parameter <paramref name="index"/> has any state (it has been updated).</summary>
    public bool HasState(int index) => withState.Contains(index);

    /// <summary>A number of group <paramref name="group"/>, e.g. "lr".</summary>
    public double Hyper(int group, string name)
    {
        var t = Scalar(OptimizerStateKeys.Group(group, name), "a number");
        return t.Item();
    }

    /// <summary>A flag of group <paramref name="group"/>, e.g. "nesterov".</summary>
    public bool Flag(int group, string name)
    {
        string key = OptimizerStateKeys.Group(group, name);
        var t = Scalar(key, "a flag");
        double v = t.Item();
        if (v is not (0 or 1)) throw Error($"'{key}' is {v.ToString(CultureInfo.InvariantCulture)}; expected a flag (bool, 0 or 1)");
        return v == 1;
    }

    /// <summary>A pair of numbers of group <paramref name="group"/>, e.g. "betas".</summary>
    public (double First, double Second) Pair(int group, string name)
    {
        string key = OptimizerStateKeys.Group(group, name);
        var t = Take(key);
        if (t.NumEl != 2 || t.Dim != 1 || !IsReal(t.DType))
            throw Error($"'{key}' is {Describe(t)}; expected two numbers");
        return (t[0], t[1]);
    }

    /// <summary>The update count of parameter <paramref name="index"/>: a whole number ≥ 0 of any real dtype.</summary>
    public long Step(int index)
    {
        string key = OptimizerStateKeys.State(index, "step");
        var t = Scalar(key, "a step count");
        if (t.DType == DType.Int64) return Check(t.Contiguous().Span<long>()[0]);
        double v = t.Item();
        if (!(v >= 0 && v == Math.Floor(v) && v < 9.007199254740992E15))
            throw Error($"'{key}' is {v.ToString(CultureInfo.InvariantCulture)}; expected a whole number of steps ≥ 0");
        return (long)v;

        long Check(long n) => n >= 0 ? n : throw Error($"'{key}' is {n}; expected a whole number of steps ≥ 0");
    }

    /// <summary>A copy of a state buffer of parameter <paramref name="index"/>, in the parameter's dtype; null when absent
    /// and not <paramref name="required"/>.</summary>
    public Tensor? Buffer(int index, string name, bool required = true)
    {
        string key = OptimizerStateKeys.State(index, name);
        if (!state.ContainsKey(key))
            return required ? throw Error($"missing '{key}' (parameter {index} has state but lacks its '{name}')") : null;
        var t = Take(key);
        var p = parameters[index];
        if (!t.Shape.SequenceEqual(p.Shape))
            throw new ShapeMismatchException(op, ShapeUtil.Format(p.ShapeSpan), ShapeUtil.Format(t.ShapeSpan),
                $"{op}: '{key}' has shape {ShapeUtil.Format(t.ShapeSpan)} but parameter {index} has shape {ShapeUtil.Format(p.ShapeSpan)}.");
        if (t.DType is not (DType.Float32 or DType.Float64))
            throw Error($"'{key}' is {t.DType.TorchName()}; expected a floating-point buffer");
        var copy = Tensor.Zeros(p.ShapeSpan, p.DType);
        copy.CopyFromRaw(t);
        return copy;
    }

    /// <summary>Throws for keys nothing asked for: state the optimizer's settings do not use, or another optimizer's names.</summary>
    public void EnsureAllRead()
    {
        var unread = state.Keys.Where(k => !read.Contains(k)).ToList();
        if (unread.Count > 0)
            throw Error($"unexpected keys [{string.Join(", ", unread)}]; the optimizer's settings use no such state (is the state dict from another optimizer?)");
    }

    /// <summary>Runs the optimizer's own checks on group <paramref name="group"/>'s loaded hyper-parameters.</summary>
    public void CheckGroup(int group, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{op}: group {group} holds hyper-parameters the optimizer refuses: {e.Message}", e);
        }
    }

    /// <summary>An error naming the operation.</summary>
    public ArgumentException Error(string problem) => new($"{op}: {problem}.");

    private void CheckParams(int group, int first, int size)
    {
        string key = OptimizerStateKeys.Group(group, "params");
        var t = Take(key);
        if (t.Dim != 1 || t.DType is not (DType.Int64 or DType.Int32))
            throw Error($"'{key}' is {Describe(t)}; expected the group's parameter indices as integers [n]");
        if (t.NumEl != size)
            throw Error($"group {group} holds {t.NumEl} parameters in the state dict but {size} in the optimizer");
        for (int i = 0; i < size; i++)
            if (t[i] != first + i)
                throw Error($"'{key}' lists parameter {t[i].ToString(CultureInfo.InvariantCulture)} at position {i}; expected {first + i} (parameters count across groups in order)");
    }

    private Tensor Scalar(string key, string what)
    {
        var t = Take(key);
        if (t.NumEl != 1 || t.Dim > 1 || !(IsReal(t.DType) || t.DType == DType.Bool))
            throw Error($"'{key}' is {Describe(t)}; expected {what} (one value)");
        if (double.IsNaN(t.Item())) throw Error($"'{key}' is NaN; expected {what}");
        return t;
    }

    private Tensor Take(string key)
    {
        if (!state.TryGetValue(key, out var t)) throw Error($"missing '{key}'");
        read.Add(key);
        return t;
    }

    private static bool IsReal(DType d) => d is DType.Float32 or DType.Float64 or DType.Int64 or DType.Int32;

    private static string Describe(Tensor t) => $"{t.DType.TorchName()} {ShapeUtil.Format(t.ShapeSpan)}";
}
