using System.Globalization;
using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Cli.Generative;

/// <summary>The PNGs of <c>nabla sample</c>: a grid of random samples, straight-line interpolations in the latent space,
/// and for a VAE with a 2-dimensional latent its decoded manifold and the test set's latent means.</summary>
internal static class GeneratorSamples
{
    /// <summary>Rows of interpolation.png.</summary>
    public const int InterpolationRows = 8;

    /// <summary>Cells per side of manifold.png, and the range of each latent coordinate it spans.</summary>
    public const int ManifoldSide = 20;

    /// <summary>|z| of manifold.png's border cells: the grid spans [−3, 3]² (3 prior standard deviations).</summary>
    public const double ManifoldExtent = 3;

    /// <summary>samples.png: <paramref name="count"/> images from z ~ N(0, I), 8 (or √count) per row.</summary>
    public static void Samples(string path, LoadedGenerator model, int count, Generator random)
    {
        using var _ = Tensor.NoGrad();
        var z = Tensor.Randn([count, model.Latent], generator: random);
        int columns = count >= 64 ? 8 : Math.Max(1, (int)Math.Ceiling(Math.Sqrt(count)));
        ImageGrid.Save(path, model.Generate(z), columns, scale: 2, title: $"{model.Title}: {count} samples, z ~ N(0, I)");
    }

    /// <summary>interpolation.png for a GAN: each row decodes z = (1 − t)·z_a + t·z_b for <paramref name="steps"/> values
    /// of t from 0 to 1, between two noise vectors drawn from N(0, I).</summary>
    public static void NoiseInterpolation(string path, LoadedGenerator model, int steps, Generator random)
    {
        using var _ = Tensor.NoGrad();
        var rows = new List<Tensor>();
        for (int r = 0; r < InterpolationRows; r++)
        {
            var a = Tensor.Randn([1, model.Latent], generator: random);
            var b = Tensor.Randn([1, model.Latent], generator: random);
            rows.Add(model.Generate(Line(a, b, steps)));
        }
        ImageGrid.Save(path, Tensor.Cat(rows, 0), columns: steps, scale: 2,
            title: $"{model.Title}: straight lines between noise vectors z_a (left) and z_b (right)");
    }

    /// <summary>interpolation.png for a VAE: each row starts and ends with a test digit and decodes, between them,
    /// z = (1 − t)·μ_a + t·μ_b for <paramref name="steps"/> values of t from 0 to 1, μ the encoder's means; the pairs are
    /// test digits of different labels drawn with <paramref name="random"/>.</summary>
    public static void LatentInterpolation(string path, LoadedGenerator model, TensorDataset test, int steps, Generator random)
    {
        var vae = model.Vae!;   // called for VAEs only
        using var _ = Tensor.NoGrad();
        long[] labels = test.Targets.ToArray<long>();
        var rows = new List<Tensor>();
        for (int r = 0; r < InterpolationRows; r++)
        {
            int i = (int)random.NextInt64(test.Count), j;
            do j = (int)random.NextInt64(test.Count); while (labels[j] == labels[i] && labels.Distinct().Count() > 1);
            var a = test.Inputs.Narrow(0, i, 1);
            var b = test.Inputs.Narrow(0, j, 1);
            var mu = vae.Encode(Tensor.Cat([a, b], 0)).Mu;              // [2, latent]
            var line = Line(mu.Narrow(0, 0, 1), mu.Narrow(0, 1, 1), steps);
            rows.Add(Tensor.Cat([a, model.Generate(line), b], 0));
        }
        ImageGrid.Save(path, Tensor.Cat(rows, 0), columns: steps + 2, scale: 2,
            title: $"{model.Title}: test digits (ends) and the decoded straight line between their latent means");
    }

    /// <summary>manifold.png for a 2-dimensional latent: the decoded images of a 20 × 20 grid of z over [−3, 3]², z₁
    /// growing to the right and z₂ upward, as one seamless mosaic.</summary>
    public static void Manifold(string path, LoadedGenerator model)
    {
        using var _ = Tensor.NoGrad();
        var z = new float[ManifoldSide * ManifoldSide * 2];
        for (int row = 0; row < ManifoldSide; row++)
            for (int column = 0; column < ManifoldSide; column++)
            {
                int k = row * ManifoldSide + column;
                z[2 * k] = (float)Coordinate(column);
                z[2 * k + 1] = (float)Coordinate(ManifoldSide - 1 - row);   // the top row holds the largest z₂
            }
        var images = model.Generate(Tensor.FromArray<float>(z, [ManifoldSide * ManifoldSide, 2]));
        ImageGrid.Save(path, images, columns: ManifoldSide, scale: 1,
            title: string.Create(CultureInfo.InvariantCulture, $"{model.Title}: decoded z over [−{ManifoldExtent}, {ManifoldExtent}]²"), gap: 0);
    }

    /// <summary>latent-scatter.png: the encoder's mean μ of every test image, coloured by its label.</summary>
    public static void LatentScatter(string path, LoadedGenerator model, TensorDataset test)
    {
        var vae = model.Vae!;   // called for VAEs only
        using var _ = Tensor.NoGrad();
        var means = new List<Tensor>();
        for (int start = 0; start < test.Count; start += 500)
            means.Add(vae.Encode(test.Inputs.Narrow(0, start, Math.Min(500, test.Count - start))).Mu);
        float[] mu = Tensor.Cat(means, 0).Contiguous().ToArray<float>();
        LatentScatterPlot.Save(path, $"{model.Title}: latent means of the {test.Count:N0} test images", mu, test.Targets.ToArray<long>());
    }

    // z at column (or row) c of the manifold: evenly spaced from −3 to 3.
    private static double Coordinate(int c) => -ManifoldExtent + 2 * ManifoldExtent * c / (ManifoldSide - 1);

    // [steps, latent]: (1 − t)·a + t·b for t = 0, 1/(steps − 1), …, 1.
    private static Tensor Line(Tensor a, Tensor b, int steps)
    {
        var t = Tensor.Linspace(0, 1, steps).Unsqueeze(1);            // [steps, 1]
        return a.Mul(t.RSub(1)).Add(b.Mul(t));
    }
}
