using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Generative;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.Models;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.GanVsVae;

/// <summary>Trains the DCGAN of <c>nabla train gan</c> for a number of steps with its recipe and step
/// (<see cref="GanRun.Step"/>): one discriminator and one generator update per batch, each network with its own Adam.</summary>
internal static class GanTrainer
{
    /// <summary>The recipe of <c>nabla train gan --label-smoothing 0.1</c>: noise 100, one-sided label smoothing 0.1, Adam β₁ 0.5.</summary>
    public static readonly GanRecipe Recipe = new(Latent: 100, LabelSmoothing: 0.1, Beta1: 0.5);

    /// <summary>Adam's learning rate for both networks.</summary>
    public const double LearningRate = 2e-4;

    /// <summary>A trained generator and its training curves.</summary>
    /// <param name="Model">The generator as a sampler (evaluation mode: batch norm's running statistics).</param>
    /// <param name="Seed">The seed it trained with.</param>
    /// <param name="Steps">Optimizer steps taken.</param>
    /// <param name="DiscriminatorLoss">Mean discriminator loss over each window of steps.</param>
    /// <param name="GeneratorLoss">Mean generator loss over each window of steps.</param>
    /// <param name="WindowEnds">The step each window ends at.</param>
    /// <param name="Seconds">Wall time.</param>
    public sealed record Result(LoadedGenerator Model, long Seed, int Steps, double[] DiscriminatorLoss, double[] GeneratorLoss, double[] WindowEnds, double Seconds);

    /// <summary>Trains for <paramref name="steps"/> batches of <paramref name="batchSize"/> images from
    /// <paramref name="train"/> (pixels in [0, 1]; full batches only, epochs as needed).</summary>
    /// <remarks><see cref="GanRun.Step"/> draws its noise from <see cref="Generator.Default"/>, so it is reseeded here with
    /// <paramref name="seed"/>, as <c>nabla train gan</c> does.</remarks>
    public static Result Train(TensorDataset train, int steps, int batchSize, long seed, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var g = new DcganGenerator(Recipe.Latent, generator: new Generator(seed));
        var d = new DcganDiscriminator(generator: new Generator(seed + 1));
        Generator.ManualSeed(seed + 2);
        var optimizerG = new Adam(g.Parameters(), lr: LearningRate, beta1: Recipe.Beta1);
        var optimizerD = new Adam(d.Parameters(), lr: LearningRate, beta1: Recipe.Beta1);
        int size = Math.Min(batchSize, train.Count);
        var loader = new DataLoader(train, size, shuffle: true, dropLast: true, seed: seed + 3);
        int window = Math.Max(1, steps / 40), step = 0, inWindow = 0;
        double dSum = 0, gSum = 0;
        var (dLosses, gLosses, ends) = (new List<double>(), new List<double>(), new List<double>());
        g.Train();
        d.Train();
        for (int epoch = 0; step < steps; epoch++)
        {
            foreach (var (x, _) in loader.Batches(epoch))
            {
                var (dLoss, gLoss, _, _) = GanRun.Step(g, d, optimizerG, optimizerD, x, Recipe);
                if (!double.IsFinite(dLoss) || !double.IsFinite(gLoss))
                    throw new InvalidOperationException(Invariant($"DCGAN (seed {seed}) diverged at step {step + 1}: D loss {dLoss}, G loss {gLoss}"));
                dSum += dLoss;
                gSum += gLoss;
                step++;
                if (++inWindow == window || step == steps)
                {
                    dLosses.Add(dSum / inWindow);
                    gLosses.Add(gSum / inWindow);
                    ends.Add(step);
                    (dSum, gSum, inWindow) = (0, 0, 0);
                }
                if (step % Math.Max(1, steps / 4) == 0 || step == steps)
                    log?.Invoke(Invariant($"DCGAN seed {seed}: step {step}/{steps}, D loss {dLosses[^1]:F3}, G loss {gLosses[^1]:F3}"));
                if (step == steps) break;
            }
        }
        g.Eval();
        var model = new LoadedGenerator(GanRecipe.ArchName, Recipe.Title, Recipe.Latent, new ImageShape(1, DcganGenerator.Side, DcganGenerator.Side), null, g);
        return new Result(model, seed, steps, [.. dLosses], [.. gLosses], [.. ends], clock.Elapsed.TotalSeconds);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
