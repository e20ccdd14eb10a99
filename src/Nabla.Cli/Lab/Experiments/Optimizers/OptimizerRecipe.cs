using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>One optimizer of the comparison: its name, how to build it for a learning rate, and the learning rates
/// tried on each problem (the best one is kept, so every method is compared at its own good setting).</summary>
/// <param name="Name">The legend text: "SGD", "SGD + momentum 0.9", …</param>
/// <param name="Key">The prefix of its figures in results.json: "sgd", "momentum", "rmsprop", "adam".</param>
/// <param name="Create">Builds the optimizer over the parameters with the learning rate.</param>
/// <param name="MnistRates">Learning rates tried on the MNIST network.</param>
/// <param name="SurfaceRates">Learning rates tried on the 2-D function.</param>
internal sealed record OptimizerRecipe(string Name, string Key, Func<IEnumerable<Parameter>, double, Optimizer> Create, double[] MnistRates, double[] SurfaceRates)
{
    /// <summary>Learning rates from 10⁻³ to 1, seven per decade (1, 1.5, 2, 3, 4, 5, 7): the 2-D problem is cheap,
    /// and a fine grid keeps a lucky grid point (η = 1/κ zeroes the steep coordinate in one step) from deciding.</summary>
    private static readonly double[] Wide = [.. new[] { 1e-3, 1e-2, 1e-1 }.SelectMany(d => new[] { 1, 1.5, 2, 3, 4, 5, 7 }.Select(m => m * d)), 1];

    /// <summary>Plain SGD, θ ← θ − η·g; SGD with heavy-ball momentum 0.9, v ← 0.9·v + g, θ ← θ − η·v; RMSprop
    /// (α = 0.99, ε = 10⁻⁸); Adam (β = 0.9, 0.999, ε = 10⁻⁸): PyTorch's defaults but for the learning rate.</summary>
    public static IReadOnlyList<OptimizerRecipe> All { get; } =
    [
        new("SGD", "sgd", (p, lr) => new Sgd(p, lr), [0.01, 0.03, 0.1, 0.3, 1], Wide),
        new("SGD + momentum 0.9", "momentum", (p, lr) => new Sgd(p, lr, momentum: 0.9), [0.001, 0.003, 0.01, 0.03, 0.1], Wide),
        new("RMSprop", "rmsprop", (p, lr) => new RmsProp(p, lr), [1e-4, 3e-4, 1e-3, 3e-3, 1e-2], Wide),
        new("Adam", "adam", (p, lr) => new Adam(p, lr), [1e-4, 3e-4, 1e-3, 3e-3, 1e-2], Wide),
    ];
}
