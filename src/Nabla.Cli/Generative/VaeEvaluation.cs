using System.Globalization;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Generative;

/// <summary>A VAE's negative ELBO on a data set, per image, and its two terms: −ELBO = reconstruction + KL (β = 1,
/// whatever β the model trained with), in nats.</summary>
/// <param name="NegativeElbo">Mean over the images of −log p(x | z) + KL(q(z | x) ‖ N(0, I)), one z per image.</param>
/// <param name="Reconstruction">Mean of −log p(x | z): the pixels' binary cross-entropy, summed over each image.</param>
/// <param name="Kl">Mean KL divergence of q(z | x) from the prior.</param>
internal sealed record VaeEvaluation(double NegativeElbo, double Reconstruction, double Kl)
{
    /// <summary>Runs <paramref name="model"/> in evaluation mode without gradients over <paramref name="data"/> (pixels in
    /// [0, 1]), drawing ε from a generator seeded with <paramref name="seed"/>, so the estimate is repeatable.</summary>
    public static VaeEvaluation Run(Vae model, TensorDataset data, int batchSize, long seed)
    {
        bool wasTraining = model.Training;
        var noise = model.Noise;
        model.Eval();
        model.Noise = new Generator(seed);
        try
        {
            using var _ = Tensor.NoGrad();
            double reconstruction = 0, kl = 0;
            foreach (var (x, _) in new DataLoader(data, batchSize))
            {
                var output = model.Call(x);
                var terms = Functional.VaeLoss(output.Logits, x, output.Mu, output.LogVar, beta: 1, ReconstructionLoss.BinaryCrossEntropyWithLogits);
                reconstruction += terms.Reconstruction.Item();
                kl += terms.Kl.Item();
            }
            int n = data.Count;
            return new VaeEvaluation((reconstruction + kl) / n, reconstruction / n, kl / n);
        }
        finally
        {
            model.Train(wasTraining);
            model.Noise = noise;
        }
    }

    /// <summary>"test negative ELBO: 103.52 nats per image (reconstruction 78.91 + KL 24.61)": the line training ends with.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"test negative ELBO: {NegativeElbo:F2} nats per image (reconstruction {Reconstruction:F2} + KL {Kl:F2})");
}
