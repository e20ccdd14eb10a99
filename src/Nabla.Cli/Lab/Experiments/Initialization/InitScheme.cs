using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Initialization;

/// <summary>A weight initialization under test: its name, its distribution, and the weight variance it gives a square
/// width × width layer.</summary>
/// <param name="Name">Short name for legends and tables.</param>
/// <param name="Distribution">The distribution, e.g. "N(0, 2/fan_in)".</param>
/// <param name="Apply">Fills a weight [out, in] from a generator (one of <see cref="Init"/>'s methods).</param>
/// <param name="Variance">Var(w) for a layer with fan_in = fan_out = n, as a function of n.</param>
internal sealed record InitScheme(string Name, string Distribution, Action<Tensor, Generator> Apply, Func<int, double> Variance)
{
    /// <summary>The half-width of the small uniform initialization U(−a, a).</summary>
    public const double SmallUniformBound = 0.01;

    /// <summary>Xavier (Glorot) normal, He (Kaiming) normal for ReLU, small uniform, unit normal.</summary>
    public static IReadOnlyList<InitScheme> All { get; } =
    [
        new("Xavier", "N(0, 2/(fan_in + fan_out)), `Init.XavierNormal`", (w, g) => Init.XavierNormal(w, generator: g), n => 1.0 / n),
        new("He", "N(0, 2/fan_in), `Init.KaimingNormal(nonlinearity: \"relu\")`", (w, g) => Init.KaimingNormal(w, nonlinearity: "relu", generator: g), n => 2.0 / n),
        new("small uniform", $"U(−{SmallUniformBound}, {SmallUniformBound}), `Init.Uniform`", (w, g) => Init.Uniform(w, -SmallUniformBound, SmallUniformBound, g),
            _ => SmallUniformBound * SmallUniformBound / 3),
        new("unit normal", "N(0, 1), `Init.Normal`", (w, g) => Init.Normal(w, 0, 1, g), _ => 1.0),
    ];

    /// <summary>The factor by which one ReLU layer multiplies the activations' scale, √(n·Var(w)/2): z_l = W_l·h_(l−1)
    /// has Var(z_l) = n·Var(w)·E[h_(l−1)²], and ReLU keeps half of it, E[h_l²] = Var(z_l)/2. 1 for He, 1/√2 for Xavier.</summary>
    public double ReluGain(int width) => Math.Sqrt(width * Variance(width) / 2);

    /// <summary>The factor for tanh while activations are small (tanh(z) ≈ z): √(n·Var(w)) — 1 for Xavier, √2 for He.</summary>
    public double LinearGain(int width) => Math.Sqrt(width * Variance(width));
}
