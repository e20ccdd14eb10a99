using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>f(x, y) = ½(x² + κ·y²): a valley κ times steeper across (y) than along (x). Its Hessian is diag(1, κ), so
/// its condition number is κ; the gradient is (x, κ·y) and the minimum f = 0 is at the origin.</summary>
/// <param name="Kappa">The curvature ratio κ ≥ 1.</param>
internal sealed record IllConditionedQuadratic(double Kappa)
{
    /// <summary>f at a point, for drawing contours.</summary>
    public double Value(double x, double y) => 0.5 * (x * x + Kappa * y * y);

    /// <summary>f of a point tensor [2] (float64), recorded for autograd: ½ Σ w ⊙ p ⊙ p with w = (1, κ).</summary>
    public Tensor Value(Tensor point) => point.Mul(point).Mul(Tensor.FromArray<double>([1, Kappa])).Sum().Mul(0.5);

    /// <summary>The learning rate at which plain gradient descent converges fastest, 2 / (1 + κ) (the reciprocal of
    /// the mean of the extreme curvatures), and its rate per step, (κ − 1) / (κ + 1), on each coordinate.</summary>
    public (double LearningRate, double Rate) BestGradientDescent => (2 / (1 + Kappa), (Kappa - 1) / (Kappa + 1));
}
