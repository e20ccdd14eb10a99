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

    /// <summary>Checks that a parameter's gradient is usable for an update.</summary>
    protected static void CheckGradient(string optimizer, Parameter p, Tensor grad)
    {
        if (!grad.Shape.SequenceEqual(p.Shape) || grad.DType != p.DType)
            throw new InvalidOperationException($"{optimizer}: gradient {ShapeUtil.Format(grad.ShapeSpan)} ({grad.DType.TorchName()}) does not match parameter {ShapeUtil.Format(p.ShapeSpan)} ({p.DType.TorchName()}).");
    }

    /// <summary>The contiguous float32 elements of a tensor that the optimizer updates in place.</summary>
    internal static Span<float> Floats(Tensor t) => t.Span<float>();
}
