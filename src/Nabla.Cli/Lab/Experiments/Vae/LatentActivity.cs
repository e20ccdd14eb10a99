using Nabla.Data;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Vae;

/// <summary>Which latent dimensions a VAE uses: dimension j is active when its posterior mean moves with the input,
/// A_j = Var_x(μ_j(x)) &gt; 0.01 (Burda et al., "Importance Weighted Autoencoders", 2016). An inactive dimension has
/// q(z_j | x) ≈ N(0, 1) for every x: it carries no information and costs no KL.</summary>
internal static class LatentActivity
{
    /// <summary>The activity threshold on Var_x(μ_j).</summary>
    public const double Threshold = 0.01;

    /// <summary>Var_x(μ_j(x)) of each latent dimension over <paramref name="data"/>'s images (population variance).</summary>
    public static double[] Variances(MlpVae model, TensorDataset data, int batchSize = 500)
    {
        using var _ = Tensor.NoGrad();
        var means = new List<Tensor>();
        for (int start = 0; start < data.Count; start += batchSize)
            means.Add(model.Encode(data.Inputs.Narrow(0, start, Math.Min(batchSize, data.Count - start))).Mu);
        var mu = Tensor.Cat(means, 0).To(DType.Float64);            // [N, latent]
        return mu.Var(0, correction: 0).ToArray<double>();
    }

    /// <summary>The number of dimensions whose variance exceeds <see cref="Threshold"/>.</summary>
    public static int Count(IEnumerable<double> variances) => variances.Count(v => v > Threshold);
}
