using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>How a loss op folds its per-element losses lᵢ: keep them, take Σ lᵢ, or Σ lᵢ / normalizer.</summary>
/// <remarks>The ops' own copy of NN's Reduction enum: Autograd sits below NN and may not name its types.</remarks>
internal enum LossReduction
{
    None,
    Mean,
    Sum,
}

/// <summary>The two places a reduction shows: the forward result and the upstream gradient each lᵢ receives.</summary>
internal static class LossOutput
{
    /// <summary>The 0-d loss: total / normalizer for mean (0/0 = NaN, as PyTorch gives for an empty or fully
    /// ignored batch), total for sum.</summary>
    public static Tensor Reduced(double total, double normalizer, LossReduction reduction, DType dtype) =>
        Tensor.Scalar(reduction == LossReduction.Mean ? total / normalizer : total, dtype);

    /// <summary>∂L/∂lᵢ for a reduced loss, the same for every i: dy / normalizer (mean) or dy (sum).</summary>
    public static double Scale(Tensor dy, LossReduction reduction, double normalizer) =>
        reduction == LossReduction.Mean ? dy.Item() / normalizer : dy.Item();
}
