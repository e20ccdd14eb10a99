using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>f(x, y) = ½(u² + κ·v²) with (u, v) the point turned by −θ, u = x·cos θ + y·sin θ, v = −x·sin θ + y·cos θ:
/// a valley κ times steeper across (v) than along (u), running at angle θ to the x axis. Its Hessian has eigenvalues
/// 1 and κ, so its condition number is κ; the minimum f = 0 is at the origin.</summary>
/// <param name="Kappa">The curvature ratio κ ≥ 1.</param>
/// <param name="Angle">θ in radians: 0 puts the valley along the x axis, where per-coordinate step sizes can undo it.</param>
internal sealed record IllConditionedQuadratic(double Kappa, double Angle = 0)
{
    private double Cos => Math.Cos(Angle);

    private double Sin => Math.Sin(Angle);

    /// <summary>f at a point, for drawing contours.</summary>
    public double Value(double x, double y)
    {
        double u = x * Cos + y * Sin, v = -x * Sin + y * Cos;
        return 0.5 * (u * u + Kappa * v * v);
    }

    /// <summary>f of a point tensor [2] (float64), recorded for autograd: u = ⟨p, (cos θ, sin θ)⟩, v = ⟨p, (−sin θ, cos θ)⟩.</summary>
    public Tensor Value(Tensor point)
    {
        var u = point.Mul(Tensor.FromArray<double>([Cos, Sin])).Sum();
        var v = point.Mul(Tensor.FromArray<double>([-Sin, Cos])).Sum();
        return u.Mul(u).Add(v.Mul(v).Mul(Kappa)).Mul(0.5);
    }

    /// <summary>The point whose valley coordinates are (u, v): (x, y) = (u·cos θ − v·sin θ, u·sin θ + v·cos θ), so
    /// turned valleys can be started from the same place relative to their axes.</summary>
    public (double X, double Y) FromValley(double u, double v) => (u * Cos - v * Sin, u * Sin + v * Cos);

    /// <summary>The learning rate at which plain gradient descent converges fastest, 2 / (1 + κ) (the reciprocal of
    /// the mean of the extreme curvatures), and the factor (κ − 1) / (κ + 1) it shrinks each valley coordinate by per step.</summary>
    public (double LearningRate, double Rate) BestGradientDescent => (2 / (1 + Kappa), (Kappa - 1) / (Kappa + 1));
}
