using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

// Normalization (torch.nn.functional.batch_norm, layer_norm, group_norm).
public static partial class Functional
{
    /// <summary>Batch normalization of [N, C, *] per channel: y = (x − μ_c)/√(σ²_c + eps)·γ_c + β_c (<c>F.batch_norm</c>).</summary>
    /// <remarks>With <paramref name="training"/>, μ and the biased σ² come from the batch (its N·∏* values per
    /// channel), and <paramref name="runningMean"/>/<paramref name="runningVar"/>, when given, are updated in place:
    /// r ← (1 − momentum)·r + momentum·stat, the variance term unbiased (·M/(M − 1)). Without it the running statistics
    /// are used and must be given. Weight and bias are optional [C] tensors; all must share the input's dtype.
    /// Ioffe and Szegedy, "Batch Normalization", 2015.</remarks>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BatchNormOp.Apply(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /// <summary>Layer normalization over the trailing dimensions <paramref name="normalizedShape"/>:
    /// y = (x − μ)/√(σ² + eps)·γ + β, μ and the biased σ² per sample over those dimensions (<c>F.layer_norm</c>).</summary>
    /// <remarks>Weight and bias, when given, have shape <paramref name="normalizedShape"/>. Ba et al., "Layer Normalization", 2016.</remarks>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        return LayerNormOp.Apply(input, normalizedShape, weight, bias, eps);
    }

    /// <summary>Group normalization of [N, C, *]: channels split into <paramref name="numGroups"/> groups, each sample's
    /// group normalized over its C/G channels and all positions, then y·γ_c + β_c (<c>F.group_norm</c>).</summary>
    /// <remarks>C must be divisible by the number of groups; weight and bias are optional [C]. Wu and He, "Group Normalization", 2018.</remarks>
    public static Tensor GroupNorm(Tensor input, int numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        return GroupNormOp.Apply(input, numGroups, weight, bias, eps);
    }
}
