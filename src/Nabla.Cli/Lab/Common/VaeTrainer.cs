using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Generative;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.Models;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Common;

/// <summary>Trains the MLP VAE of <c>nabla train vae</c> (<see cref="MlpVae"/>, <see cref="VaeRun.Step"/>) for the lab's
/// generative experiments: images with pixels in [0, 1], Adam, the β-weighted negative ELBO summed over each batch,
/// every random draw (initial weights, ε, the shuffled order) seeded.</summary>
internal static class VaeTrainer
{
    /// <summary>Test images per evaluation batch.</summary>
    public const int EvaluationBatchSize = 500;

    /// <summary>A trained VAE and what it measured.</summary>
    /// <param name="Model">The network, in evaluation mode.</param>
    /// <param name="Beta">The KL weight it trained with.</param>
    /// <param name="Test">The test set's negative ELBO per image and its two terms (β = 1), one z per image.</param>
    /// <param name="EpochLosses">The mean training loss per image of each epoch (with its β).</param>
    /// <param name="Seconds">Wall time of the training.</param>
    public sealed record Result(MlpVae Model, double Beta, VaeEvaluation Test, IReadOnlyList<double> EpochLosses, double Seconds)
    {
        /// <summary>The model as the sampling helpers of <c>nabla sample</c> take it (<see cref="GeneratorSamples"/>).</summary>
        public LoadedGenerator AsGenerator() => new(VaeRecipe.ArchName, Title, Model.Latent,
            new ImageShape(Model.Channels, Model.Height, Model.Width), Model, null);

        /// <summary>"MLP VAE 784-400-20, β = 4" (β left out when 1).</summary>
        public string Title => new VaeRecipe("mlp", Model.Latent, Model.Hidden, Beta).Title(new ImageShape(Model.Channels, Model.Height, Model.Width));
    }

    /// <summary>Trains an <see cref="MlpVae"/> of <paramref name="latent"/> dimensions and <paramref name="hidden"/> hidden
    /// units on <paramref name="train"/> and evaluates it on <paramref name="test"/>.</summary>
    /// <param name="train">Images [N, C, H, W] in [0, 1] (labels unused).</param>
    /// <param name="test">Images to evaluate on.</param>
    /// <param name="latent">Dimensions of z.</param>
    /// <param name="hidden">Width of the hidden layers.</param>
    /// <param name="beta">The weight of the KL term.</param>
    /// <param name="epochs">Passes over <paramref name="train"/>.</param>
    /// <param name="batchSize">Images per step.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="seed">Seeds the initial weights, ε, the shuffled order and the evaluation's ε.</param>
    /// <param name="log">Says one line per epoch, or null.</param>
    public static Result Train(TensorDataset train, TensorDataset test, int latent, int hidden, double beta, int epochs, int batchSize,
        double learningRate, long seed, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var shape = train.Inputs.Shape;
        var model = new MlpVae(latent, hidden, shape[1], shape[2], shape[3], new Generator(seed)) { Noise = new Generator(seed + 1) };
        var optimizer = new Adam(model.Parameters(), lr: learningRate);
        var loader = new DataLoader(train, batchSize, shuffle: true, seed: seed + 2);
        var losses = new List<double>();
        model.Train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            double sum = 0;
            long images = 0;
            foreach (var (x, _) in loader.Batches(epoch))
            {
                double loss = VaeRun.Step(model, optimizer, x, beta).Loss.Item();
                if (!double.IsFinite(loss))
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"VAE (β = {beta:G4}) diverged: the loss is {loss} in epoch {epoch + 1}"));
                sum += loss;
                images += x.Shape[0];
            }
            losses.Add(sum / Math.Max(1, images));
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"VAE latent {latent}, β = {beta:G4}: epoch {epoch + 1}/{epochs}, loss {losses[^1]:F2} nats per image"));
        }
        model.Eval();
        var evaluation = VaeEvaluation.Run(model, test, EvaluationBatchSize, seed + 3);
        return new Result(model, beta, evaluation, losses, clock.Elapsed.TotalSeconds);
    }
}
