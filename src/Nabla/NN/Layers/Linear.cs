using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>y = x·Wᵀ + b.  Input [..., inFeatures] → output [..., outFeatures] (<c>nn.Linear</c>).</summary>
/// <remarks>W and b start as U(−1/√inFeatures, 1/√inFeatures), as PyTorch's Linear does.</remarks>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Weight [outFeatures, inFeatures].</summary>
    public Parameter Weight { get; }

    /// <summary>Bias [outFeatures], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Creates the layer with PyTorch's default initialization.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(outFeatures);
        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
        Weight = RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures]));
        Bias = bias ? RegisterParameter("bias", Tensor.Empty([outFeatures])) : null;
        ResetParameters(generator);
    }

    /// <summary>Re-draws W and b from PyTorch's defaults.</summary>
    public void ResetParameters(Generator? generator = null) => Init.LinearDefault(Weight, Bias, generator);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);

    /// <inheritdoc/>
    public override string Describe() => $"Linear({InFeatures} → {OutFeatures}{(Bias is null ? ", bias=False" : "")})";
}
