using Nabla.NN;

namespace Nabla.Optim;

/// <summary>AdamW (Loshchilov and Hutter, 2019), as <c>torch.optim.AdamW</c>: Adam with decoupled weight decay
/// θ ← θ(1 − ηλ) applied before the Adam update; weight decay defaults to 0.01.</summary>
public static class AdamW
{
    /// <summary>Adam options with AdamW's defaults: decoupled decay, λ = 0.01.</summary>
    public static AdamOptions DefaultOptions { get; } = new() { WeightDecay = 0.01, DecoupledWeightDecay = true };

    /// <summary>Creates an Adam optimizer with decoupled weight decay.</summary>
    public static Adam Create(IEnumerable<Parameter> parameters, double lr = 1e-3, double weightDecay = 0.01,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, bool amsGrad = false) =>
        new(parameters, DefaultOptions with { LearningRate = lr, WeightDecay = weightDecay, Beta1 = beta1, Beta2 = beta2, Eps = eps, AmsGrad = amsGrad });
}
