using Nabla.Cli.Lab;
using Nabla.Cli.Lab.Experiments.Optimizers;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>optimizers' parts: the valley's autograd gradient is the analytic one, gradient descent on it follows the
/// textbook recurrence, the settling step count ignores dips that bounce back, and the verdict rule's cases.</summary>
public sealed class OptimizersTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(Math.PI / 4)]
    [InlineData(1.0)]
    public void Valley_gradient_by_autograd_is_the_analytic_one(double angle)
    {
        var valley = new IllConditionedQuadratic(50, angle);
        var point = Tensor.FromArray<double>([0.7, -1.3], requiresGrad: true);

        var f = valley.Value(point);
        f.Backward();

        // ∇f = Rᵀ diag(1, κ) R p with u = c·x + s·y, v = −s·x + c·y: ∂f/∂x = c·u − s·κ·v, ∂f/∂y = s·u + c·κ·v.
        double c = Math.Cos(angle), s = Math.Sin(angle), u = c * 0.7 + s * -1.3, v = -s * 0.7 + c * -1.3;
        Assert.Equal(valley.Value(0.7, -1.3), f.Item<double>(), 12);
        Assert.Equal(c * u - s * 50 * v, point.Grad!.ToArray<double>()[0], 12);
        Assert.Equal(s * u + c * 50 * v, point.Grad!.ToArray<double>()[1], 12);
    }

    [Fact]
    public void Turned_valley_started_from_the_same_valley_coordinates_has_the_same_value()
    {
        var turned = new IllConditionedQuadratic(50, Math.PI / 4);
        var (x, y) = turned.FromValley(-4, 1);

        Assert.Equal(new IllConditionedQuadratic(50).Value(-4, 1), turned.Value(x, y), 12);
    }

    [Fact]
    public void Gradient_descent_on_the_valley_follows_the_recurrence()
    {
        // x ← (1 − η)·x, y ← (1 − ηκ)·y: with η = 0.03, κ = 50 the factors are 0.97 and −0.5.
        var valley = new IllConditionedQuadratic(50);

        var walk = SurfaceDescent.Run(valley.Value, (-4, 1), p => new Sgd(p, 0.03), steps: 10);

        Assert.Equal(11, walk.X.Length);
        Assert.False(walk.Diverged);
        for (int t = 0; t <= 10; t++)
        {
            Assert.Equal(-4 * Math.Pow(0.97, t), walk.X[t], 12);
            Assert.Equal(Math.Pow(-0.5, t), walk.Y[t], 12);
        }
    }

    [Fact]
    public void Too_large_a_step_is_reported_as_diverged()
    {
        var walk = SurfaceDescent.Run(new IllConditionedQuadratic(50).Value, (-4, 1), p => new Sgd(p, 0.1), steps: 200);

        Assert.True(walk.Diverged);
        Assert.Null(walk.StepsToStay(1e-3));
    }

    [Fact]
    public void Steps_to_stay_ignore_a_dip_that_bounces_back()
    {
        var walk = new SurfacePath(new double[6], new double[6], [5, 0.5, 3, 0.8, 0.4, 0.2], Diverged: false);

        Assert.Equal(3, walk.StepsToStay(1));
        Assert.Equal(4, walk.StepsToStay(0.5));
        Assert.Null(walk.StepsToStay(0.1));
    }

    [Theory]
    [InlineData(70, 100, 0.10, 0.10, "supported")]        // 30% fewer steps, same final loss
    [InlineData(100, 100, 0.07, 0.10, "supported")]       // same steps, 30% lower loss
    [InlineData(50, null, 0.10, 0.12, "supported")]       // only Adam settles
    [InlineData(95, 100, 0.095, 0.10, "not supported")]    // under 10% better on both
    [InlineData(null, 100, 0.2, 0.1, "not supported")]     // only SGD settles
    [InlineData(85, 100, 0.10, 0.10, "inconclusive")]     // a gain between 10% and 20%
    [InlineData(60, 100, 0.12, 0.10, "inconclusive")]     // faster but ends higher
    [InlineData(null, null, 0.10, 0.10, "not supported")]  // neither settles, same final loss
    public void Speed_rule_cases(int? adam, int? sgd, double adamFinal, double sgdFinal, string expected) =>
        Assert.Equal(expected, VerdictText.Of(SpeedRule.Decide(adam, sgd, adamFinal, sgdFinal)));

    [Fact]
    public void Every_recipe_builds_its_optimizer_at_the_given_rate()
    {
        foreach (var recipe in OptimizerRecipe.All)
        {
            var p = new Parameter(Tensor.Zeros([3]));
            var optimizer = recipe.Create([p], 0.123);
            Assert.Equal(0.123, optimizer.LearningRate, 12);
            Assert.Equal(22, recipe.SurfaceRates.Length);
            Assert.Equal(5, recipe.MnistRates.Length);
        }
    }
}
