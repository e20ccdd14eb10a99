using Nabla.Models;
using Nabla.Models.Metrics;
using Nabla.Tensors;

namespace Nabla.Cli.Generative;

/// <summary>Scores a generator with the MNIST CNN classifier (<see cref="GeneratorScore"/>): features are the classifier's
/// penultimate layer (<see cref="Cnn.PenultimateFeatures"/>, 128 values), fitted by Gaussians in float64.</summary>
internal static class GeneratorEvaluation
{
    /// <summary>Generates <paramref name="samples"/> images from z ~ N(0, I) drawn from <paramref name="random"/> and scores
    /// them against <paramref name="test"/>, with <paramref name="reference"/> (real images as many as the test ones) as the
    /// baseline; image sets hold pixels in [0, 1] and are normalized by (x − <paramref name="mean"/>)/<paramref name="std"/>
    /// for the classifier, as it was trained.</summary>
    public static GeneratorScore Run(LoadedGenerator generator, Cnn classifier, float mean, float std, Tensor test, Tensor reference,
        int samples, int batchSize, Generator random)
    {
        bool wasTraining = classifier.Training;
        classifier.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var generated = Score(classifier, mean, std, samples, batchSize, count => generator.Generate(Tensor.Randn([count, generator.Latent], generator: random)));
            var real = Score(classifier, mean, std, test.Shape[0], batchSize, Slicer(test));
            var baseline = Score(classifier, mean, std, reference.Shape[0], batchSize, Slicer(reference));
            var testStatistics = GaussianStatistics.FromFeatures(real.Features);
            double distance = FrechetDistance.Compute(GaussianStatistics.FromFeatures(generated.Features), testStatistics);
            double referenceDistance = FrechetDistance.Compute(GaussianStatistics.FromFeatures(baseline.Features), testStatistics);
            var shares = new double[classifier.Classes];
            foreach (long c in generated.Classes) shares[c] += 1.0 / samples;
            return new GeneratorScore(distance, referenceDistance, shares, generated.Confidence, real.Confidence, samples, test.Shape[0]);
        }
        finally
        {
            classifier.Train(wasTraining);
        }
    }

    // The next `count` images of a fixed set, batch by batch.
    private static Func<int, Tensor> Slicer(Tensor images)
    {
        int at = 0;
        return count => { var batch = images.Narrow(0, at, count); at += count; return batch; };
    }

    private static (Tensor Features, long[] Classes, double Confidence) Score(Cnn classifier, float mean, float std, int count, int batchSize, Func<int, Tensor> next)
    {
        var features = new List<Tensor>();
        var classes = new long[count];
        double confidence = 0;
        for (int start = 0; start < count; start += batchSize)
        {
            int n = Math.Min(batchSize, count - start);
            var images = next(n).Sub(mean).Div(std);                   // [n, C, H, W] as the classifier was trained
            var hidden = classifier.PenultimateFeatures(images);        // [n, 128]
            var probabilities = classifier.Fc2.Call(hidden).Softmax(1); // [n, classes]
            var (top, predicted) = probabilities.Max(1);
            features.Add(hidden);
            predicted.ToArray<long>().CopyTo(classes, start);
            confidence += top.Sum().Item();
        }
        return (Tensor.Cat(features, 0), classes, confidence / count);
    }
}
