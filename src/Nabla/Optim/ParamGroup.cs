using Nabla.NN;

namespace Nabla.Optim;

/// <summary>Parameters that share hyper-parameters (PyTorch's param_groups entry).</summary>
/// <typeparam name="TOptions">The optimizer's options record.</typeparam>
public sealed class ParamGroup<TOptions>(IReadOnlyList<Parameter> parameters, TOptions options)
{
    /// <summary>The parameters updated with these options.</summary>
    public IReadOnlyList<Parameter> Parameters { get; } = parameters;

    /// <summary>The options; replace with <c>with</c> to change them (schedules change the learning rate here).</summary>
    public TOptions Options { get; set; } = options;
}
