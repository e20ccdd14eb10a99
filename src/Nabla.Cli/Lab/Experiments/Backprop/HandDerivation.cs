namespace Nabla.Cli.Lab.Experiments.Backprop;

/// <summary>Every intermediate value of one forward and backward pass through <see cref="TinyMlp"/>, computed by hand.</summary>
/// <param name="Z1">Hidden pre-activations z₁ = W₁·x + b₁ [3].</param>
/// <param name="H">Hidden activations h = tanh(z₁) [3].</param>
/// <param name="Z2">Output pre-activation z₂ = W₂·h + b₂.</param>
/// <param name="YHat">Prediction ŷ = σ(z₂).</param>
/// <param name="Loss">L = (ŷ − y)².</param>
/// <param name="DLossDYHat">Local derivative ∂L/∂ŷ = 2(ŷ − y).</param>
/// <param name="DYHatDZ2">Local derivative ∂ŷ/∂z₂ = ŷ(1 − ŷ).</param>
/// <param name="Delta2">δ₂ = ∂L/∂z₂ = ∂L/∂ŷ · ∂ŷ/∂z₂.</param>
/// <param name="DLossDH">∂L/∂h_j = δ₂ · W₂[j] [3].</param>
/// <param name="DHDZ1">Local derivatives ∂h_j/∂z₁_j = 1 − h_j² [3].</param>
/// <param name="Delta1">δ₁_j = ∂L/∂z₁_j = ∂L/∂h_j · (1 − h_j²) [3].</param>
/// <param name="Gradient">∂L/∂θ in <see cref="TinyMlp"/>'s parameter order [13].</param>
internal sealed record HandDerivation(double[] Z1, double[] H, double Z2, double YHat, double Loss, double DLossDYHat, double DYHatDZ2, double Delta2,
    double[] DLossDH, double[] DHDZ1, double[] Delta1, double[] Gradient);
