using Nabla.Cli.Generative;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.GanVsVae;

/// <summary>What the comparison measures of one image source (a generator, or the test set itself).</summary>
/// <param name="Name">"VAE", "GAN seed 1", "real test images".</param>
/// <param name="Score">Fréchet distance and predicted classes (<see cref="GeneratorEvaluation"/>); null for the real images.</param>
/// <param name="Sharpness">The Laplacian variance of each image of <paramref name="Images"/>.</param>
/// <param name="Images">Images [N, 1, 28, 28] in [0, 1] whose sharpness was measured; the grids show the first ones.</param>
internal sealed record ModelScores(string Name, GeneratorScore? Score, double[] Sharpness, Tensor Images)
{
    /// <summary>The mean Laplacian variance.</summary>
    public double MeanSharpness => Sharpness.Average();

    /// <summary>exp(H) of the predicted class shares p: 10 when every digit is equally common, 1 when one digit is all.</summary>
    public static double EffectiveClasses(IEnumerable<double> shares) => Math.Exp(-shares.Where(p => p > 0).Sum(p => p * Math.Log(p)));

    /// <summary><paramref name="model"/>'s scores: the Fréchet distance of <paramref name="samples"/> images against
    /// <paramref name="test"/> (baseline <paramref name="reference"/>), and the sharpness of <paramref name="sharpnessCount"/>
    /// images generated from z drawn from <paramref name="latents"/>.</summary>
    public static ModelScores Measure(string name, LoadedGenerator model, Contestants.Classifier classifier, Tensor test, Tensor reference,
        int samples, int sharpnessCount, Generator scoring, Generator latents)
    {
        var score = GeneratorEvaluation.Run(model, classifier.Model, classifier.Mean, classifier.Std, test, reference, samples, batchSize: 500, scoring);
        Tensor images;
        using (Tensor.NoGrad()) images = model.Generate(Tensor.Randn([sharpnessCount, model.Latent], generator: latents));
        return new ModelScores(name, score, LaplacianVariance.PerImage(images), images);
    }
}
