using System.Globalization;
using Nabla.Cli.Generative;
using Nabla.Cli.Lab.Common;
using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Vae;

/// <summary>The image grids of the β sweep: the same test digits reconstructed by every model, and the same prior
/// draws z ~ N(0, I) decoded by every model, one row per β.</summary>
internal static class BetaImages
{
    /// <summary>One test image of each label in order (0, 1, …), then the first others, <paramref name="count"/> in all
    /// (fewer if the set is smaller): [n, C, H, W].</summary>
    public static Tensor OnePerLabel(TensorDataset data, int count)
    {
        long[] labels = data.Targets.ToArray<long>();
        var picked = new List<int>();
        foreach (long label in labels.Distinct().Order())
            if (picked.Count < count) picked.Add(Array.IndexOf(labels, label));
        for (int i = 0; i < labels.Length && picked.Count < count; i++)
            if (!picked.Contains(i)) picked.Add(i);
        return Tensor.Cat(picked.Select(i => data.Inputs.Narrow(0, i, 1)).ToList(), 0);
    }

    /// <summary>Row 1: <paramref name="originals"/>; then one row per model: σ(decoder(μ(x))) of each.</summary>
    public static void Reconstructions(string path, Tensor originals, IReadOnlyList<VaeTrainer.Result> models)
    {
        using var _ = Tensor.NoGrad();
        var rows = new List<Tensor> { originals };
        rows.AddRange(models.Select(m => m.Model.Generate(m.Model.Encode(originals).Mu)));
        ImageGrid.Save(path, Tensor.Cat(rows, 0), columns: originals.Shape[0], scale: 2,
            title: $"test digits (top row), then their reconstructions for β = {Betas(models)} (one row each)");
    }

    /// <summary>One row per model: the same <paramref name="count"/> latents z ~ N(0, I) (drawn from <paramref name="random"/>) decoded.</summary>
    public static void Samples(string path, IReadOnlyList<VaeTrainer.Result> models, int count, Generator random)
    {
        using var _ = Tensor.NoGrad();
        var z = Tensor.Randn([count, models[0].Model.Latent], generator: random);
        var rows = models.Select(m => m.Model.Generate(z)).ToList();
        ImageGrid.Save(path, Tensor.Cat(rows, 0), columns: count, scale: 2,
            title: $"the same z ~ N(0, I) decoded by each model, rows β = {Betas(models)}");
    }

    private static string Betas(IEnumerable<VaeTrainer.Result> models) =>
        string.Join(", ", models.Select(m => m.Beta.ToString("G4", CultureInfo.InvariantCulture)));
}
