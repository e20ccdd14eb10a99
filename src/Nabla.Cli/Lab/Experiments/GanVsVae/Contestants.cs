using System.Globalization;
using System.Text.Json;
using Nabla.Cli.Generative;
using Nabla.Cli.Lab.Common;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.Models;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.GanVsVae;

/// <summary>The models of the comparison, each reused from an earlier <c>nabla train</c> run (quick scale, when one is
/// found) or trained here: the CNN whose features score the images, the VAE, and a DCGAN.</summary>
internal static class Contestants
{
    /// <summary>The feature extractor and how its inputs are normalized.</summary>
    /// <param name="Model">The CNN.</param>
    /// <param name="Mean">Subtracted from pixels in [0, 1].</param>
    /// <param name="Std">Then divided by.</param>
    /// <param name="Description">Where it came from, for the set-up.</param>
    public sealed record Classifier(Nabla.Models.Cnn Model, float Mean, float Std, string Description);

    /// <summary>A generator and where it came from.</summary>
    public sealed record Source(LoadedGenerator Model, string Description);

    /// <summary>The CNN of the newest <c>nabla train cnn</c> run at quick scale, else one trained for an epoch on
    /// <paramref name="train"/>; its test accuracy goes into the description.</summary>
    public static Classifier LoadOrTrainClassifier(LabContext context, LabReport report, TensorDataset train, TensorDataset test)
    {
        if (Reusable(context, "train cnn", "cnn") is { } path)
        {
            var loaded = ModelLoader.Load(path, "lab run gan-vs-vae");
            if (loaded.Model is Nabla.Models.Cnn reused)
            {
                report.Reuse(path);
                reused.Eval();
                double accuracy = ClassifierTrainer.Evaluate(reused, Normalize(test, loaded.Mean, loaded.Std)).Accuracy;
                return new Classifier(reused, loaded.Mean, loaded.Std, Invariant($"the {loaded.Title} of {path} (reused), {accuracy:P2} accurate on the {test.Count:N0} test images"));
            }
        }
        const int batchSize = 64;
        Generator.ManualSeed(Seed(context, 1));   // dropout's masks
        var model = new Nabla.Models.Cnn(generator: context.Random(2));
        var history = ClassifierTrainer.Train(model, new Adam(model.Parameters(), lr: 1e-3), Normalize(train, MnistDataset.Mean, MnistDataset.Std),
            Normalize(test, MnistDataset.Mean, MnistDataset.Std), epochs: 1, batchSize, Seed(context, 3), log: context.Say);
        model.Eval();
        return new Classifier(model, MnistDataset.Mean, MnistDataset.Std,
            Invariant($"`Nabla.Models.Cnn` ({model.ParameterCount():N0} parameters) trained here for 1 epoch on {train.Count:N0} images (Adam lr 0.001, batch {batchSize}), {history.Last.TestAccuracy:P2} accurate on the {test.Count:N0} test images"));
    }

    /// <summary>The VAE of the newest <c>nabla train vae</c> run at quick scale, else an MLP VAE (latent 20, β = 1)
    /// trained here.</summary>
    public static Source LoadOrTrainVae(LabContext context, LabReport report, TensorDataset train, TensorDataset test, int epochs, int hidden)
    {
        if (Reusable(context, "train vae", VaeRecipe.ArchName) is { } path)
        {
            var loaded = GenerativeLoader.Load(path, "lab run gan-vs-vae");
            report.Reuse(path);
            return new Source(loaded, $"the {loaded.Title} of {path} (reused)");
        }
        context.Say("training the VAE");
        var result = VaeTrainer.Train(train, test, latent: 20, hidden, beta: 1, epochs, batchSize: 128, learningRate: 1e-3, Seed(context, 4), context.Say);
        return new Source(result.AsGenerator(), Invariant($"{result.Title} ({result.Model.ParameterCount():N0} parameters) trained here for {epochs} epoch(s) on {train.Count:N0} images (Adam lr 0.001, batch 128, β = 1; test −ELBO {result.Test.NegativeElbo:F2} nats)"));
    }

    /// <summary>The generator of the newest <c>nabla train gan</c> run at quick scale, or null.</summary>
    public static Source? ReuseGan(LabContext context, LabReport report)
    {
        if (Reusable(context, "train gan", GanRecipe.ArchName) is not { } path) return null;
        var loaded = GenerativeLoader.Load(path, "lab run gan-vs-vae");
        report.Reuse(path);
        return new Source(loaded, $"the {loaded.Title} of {path} (reused)");
    }

    /// <summary>A seed for one part of the run, derived from the run's seed.</summary>
    public static long Seed(LabContext context, int part) => context.Seed * 1_000_003 + 7919L * part;

    // Only quick runs reuse; a full run trains everything so its report stands alone.
    private static string? Reusable(LabContext context, string command, string arch) =>
        context.Scale != LabScale.Quick ? null
            : RunFinder.Find(context.RunsDirectory, command, model => model.TryGetProperty("arch", out var a) && a.ValueKind == JsonValueKind.String && a.GetString() == arch);

    private static TensorDataset Normalize(TensorDataset data, float mean, float std) => new(data.Inputs.Sub(mean).Div(std), data.Targets);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
