using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>The base of every optimizer: parameter groups, per-parameter state, ZeroGrad and Step.</summary>
public abstract class Optimizer
{
    /// <summary>Sets every parameter's gradient to null (<c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in AllParameters()) p.Grad = null;
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public abstract void Step();

    /// <summary>The learning rate of the first group (what schedules read and write).</summary>
    public abstract double LearningRate { get; set; }

    /// <summary>Every parameter of every group.</summary>
    public abstract IEnumerable<Parameter> AllParameters();

    /// <summary>The optimizer's state as named tensors: PyTorch's <c>optimizer.state_dict()</c> flattened with dots.</summary>
    /// <remarks>
    /// Per-parameter state is "state.{i}.NAME" (NAME as in PyTorch: "step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq",
    /// "momentum_buffer", "square_avg", "grad_avg"), i counting parameters across groups in order; only parameters that
    /// have been updated have state. Each group g contributes "param_groups.{g}.params" (int64 [n], its parameters'
    /// indices) and its hyper-parameters under PyTorch's names ("param_groups.{g}.lr", 0-d float64; flags such as
    /// "nesterov" 0-d bool; Adam's "betas" float64 [2]). "step" is a 0-d int64. Buffers share storage with the
    /// optimizer (as PyTorch's do): save them or clone them before the next <see cref="Step"/>.
    /// </remarks>
    public abstract IReadOnlyDictionary<string, Tensor> StateDict();

    /// <summary>Restores state from <see cref="StateDict"/> (<c>optimizer.load_state_dict</c>): the per-parameter
    /// buffers and each group's hyper-parameters, learning rate included, replace the optimizer's own.</summary>
    /// <remarks>Every key, group size, shape and value is checked before anything changes, so a refused state dict
    /// leaves the optimizer as it was. Buffers are copied into the parameters' dtype.</remarks>
    /// <exception cref="ArgumentException">The state dict does not fit this optimizer; the message names the key and the rule.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) => PrepareLoadStateDict(state)();

    /// <summary>Checks <paramref name="state"/> against this optimizer and returns the action that applies it; the
    /// action cannot fail. Checks throw <see cref="ArgumentException"/> before anything changes.</summary>
    protected abstract Action PrepareLoadStateDict(IReadOnlyDictionary<string, Tensor> state);

    /// <summary>Validates a state dict now and applies it later: a training checkpoint checks every part before changing any.</summary>
    internal Action PrepareLoad(IReadOnlyDictionary<string, Tensor> state) => PrepareLoadStateDict(state);

    /// <summary>Checks that a parameter's gradient is usable for an update.</summary>
    protected static void CheckGradient(string optimizer, Parameter p, Tensor grad)
    {
        if (!grad.Shape.SequenceEqual(p.Shape) || grad.DType != p.DType)
            throw new InvalidOperationException($"{optimizer}: gradient {ShapeUtil.Format(grad.ShapeSpan)} ({grad.DType.TorchName()}) does not match parameter {ShapeUtil.Format(p.ShapeSpan)} ({p.DType.TorchName()}).");
    }

    /// <summary>The contiguous float32 elements of a tensor that the optimizer updates in place.</summary>
    internal static Span<float> Floats(Tensor t) => t.Span<float>();
}
