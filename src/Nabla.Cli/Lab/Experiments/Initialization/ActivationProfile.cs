using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Initialization;

/// <summary>How the activations of a deep stack of square linear layers evolve with depth at initialization: the
/// standard deviation of h_l at every layer and, for tanh, the fraction of saturated units.</summary>
/// <param name="Std">std(h_l) for l = 0 (the input) … depth.</param>
/// <param name="Saturated">The fraction of units with |h_l| &gt; 0.99 (meaningful for tanh) for l = 0 … depth.</param>
internal sealed record ActivationProfile(double[] Std, double[] Saturated)
{
    /// <summary>|log₁₀(std(h_depth) / std(h_0))|: how many decades the last layer's scale is from the input's.</summary>
    public double Decades => double.IsFinite(Std[^1]) && Std[^1] > 0 ? Math.Abs(Math.Log10(Std[^1] / Std[0])) : double.PositiveInfinity;

    /// <summary>The geometric mean factor per layer from layer 1 to the last: (std(h_depth) / std(h_1))^(1/(depth − 1)).</summary>
    public double GainPerLayer => Math.Pow(Std[^1] / Std[1], 1.0 / (Std.Length - 2));

    /// <summary>Pushes a batch of N(0, 1) inputs [batch, width] through <paramref name="depth"/> layers
    /// h_l = f(h_(l−1)·W_lᵀ), weights drawn by <paramref name="scheme"/>, no biases, in float64 (so neither 1e-30 nor
    /// 1e+30 underflows or overflows).</summary>
    public static ActivationProfile Measure(InitScheme scheme, string activation, int width, int depth, int batch, Generator generator)
    {
        using var _ = Tensor.NoGrad();
        var h = Tensor.Randn([batch, width], DType.Float64, generator);
        var std = new double[depth + 1];
        var saturated = new double[depth + 1];
        (std[0], saturated[0]) = Statistics(h);
        for (int l = 1; l <= depth; l++)
        {
            var weight = Tensor.Empty([width, width], DType.Float64);
            scheme.Apply(weight, generator);
            var z = h.MatMul(weight.T);
            h = activation switch
            {
                "relu" => z.Relu(),
                "tanh" => PreciseTanh(z),
                _ => throw new ArgumentException($"ActivationProfile: unknown activation '{activation}'; expected relu or tanh", nameof(activation)),
            };
            (std[l], saturated[l]) = Statistics(h);
        }
        return new ActivationProfile(std, saturated);
    }

    // tanh with full relative precision near 0. Tensor.Tanh goes through the vectorized TensorPrimitives.Tanh, whose
    // error is absolute (≈ 1e-16 in float64, 6e-8 in float32): tanh(1e-20) comes back as −0, so activations that shrink
    // geometrically (small weights) would hit a false floor at ~1e-16 instead of following the per-layer factor.
    private static Tensor PreciseTanh(Tensor z)
    {
        var values = z.ToArray<double>();
        for (int i = 0; i < values.Length; i++) values[i] = Math.Tanh(values[i]);
        return Tensor.Wrap(values, z.Shape.ToArray());
    }

    private static (double Std, double Saturated) Statistics(Tensor h) =>
        (h.Std(correction: 0).Item(), (double)h.Abs().Gt(0.99).CountNonZero() / h.NumEl);
}
