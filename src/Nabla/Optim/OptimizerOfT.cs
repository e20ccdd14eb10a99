using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>An optimizer whose parameters come in groups sharing an options record: it owns the groups, the
/// learning-rate property schedules write, and the step loop; a subclass supplies the update of one parameter.</summary>
/// <typeparam name="TOptions">The options record (PyTorch's param_group entries).</typeparam>
public abstract class Optimizer<TOptions> : Optimizer where TOptions : OptimizerOptions
{
    /// <summary>Validates each group's options (via <paramref name="validate"/>) and keeps the groups.</summary>
    protected Optimizer(IReadOnlyList<ParamGroup<TOptions>> groups, Action<TOptions> validate)
    {
        foreach (var g in groups) validate(g.Options);
        Groups = groups;
    }

    /// <summary>The parameter groups.</summary>
    public IReadOnlyList<ParamGroup<TOptions>> Groups { get; }

    /// <inheritdoc/>
    public override double LearningRate
    {
        get => Groups[0].Options.LearningRate;
        set { foreach (var g in Groups) g.Options = (TOptions)(g.Options with { LearningRate = value }); }
    }

    /// <inheritdoc/>
    public override IEnumerable<Parameter> AllParameters() => Groups.SelectMany(g => g.Parameters);

    /// <summary>The optimizer's name in messages ("Adam").</summary>
    protected virtual string Name => GetType().Name;

    /// <inheritdoc/>
    public sealed override void Step()
    {
        using var _ = Tensor.NoGrad();
        foreach (var group in Groups)
            foreach (var p in group.Parameters)
            {
                if (p.Grad is null) continue;
                CheckGradient(Name, p, p.Grad);
                Update(p, p.Grad.ContiguousRaw(), group.Options);
                p.Storage.Version++;   // the parameter changed in place: graphs that saved it must not reuse it
            }
    }

    /// <summary>Updates parameter <paramref name="p"/> in place from its contiguous gradient under options <paramref name="o"/>, creating its state on first use.</summary>
    protected abstract void Update(Parameter p, Tensor grad, TOptions o);
}

/// <summary>What every optimizer's options have: a learning rate, which schedules change.</summary>
public abstract record OptimizerOptions
{
    /// <summary>Learning rate η.</summary>
    public abstract double LearningRate { get; init; }
}
