using System.Globalization;
using Nabla.Cli.Generative;
using Nabla.Cli.Lab.Common;

namespace Nabla.Cli.Lab.Experiments.Vae;

/// <summary><c>nabla lab run vae</c>: MLP VAEs on MNIST: one with a 2-dimensional latent for the latent map, and a sweep
/// of the KL weight β with a 20-dimensional latent; reconstructions, samples and an interpolation of the β = 1 model,
/// and the test set's reconstruction error and KL per β.</summary>
internal sealed class VaeExperiment : ILabExperiment
{
    /// <summary>The KL weights of the sweep, in increasing order; the set must hold 1 (its model is shown alone).</summary>
    public static readonly double[] Betas = [0.5, 1, 2, 4];

    private const int SweepLatent = 20, MapLatent = 2, BatchSize = 128, Columns = 10, InterpolationSteps = 10, MapPoints = 2500;
    private const double LearningRate = 1e-3;

    /// <inheritdoc/>
    public string Name => "vae";

    /// <inheritdoc/>
    public string Title => "Variational autoencoders: reconstruction, samples, latent space and the β trade-off";

    /// <inheritdoc/>
    public string Claim => "Raising β in a VAE trades reconstruction quality for a latent code closer to the prior: the KL term falls and the reconstruction error rises.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        var trainAll = context.Mnist(train: true);
        var testAll = context.Mnist(train: false);
        var train = ClassifierTrainer.Head(trainAll, context.Pick(120, 30_000, 60_000));
        var test = ClassifierTrainer.Head(testAll, context.Pick(60, 5_000, 10_000));
        int epochs = context.Pick(1, 3, 8), hidden = context.Pick(64, 400, 400);

        var sweep = new List<VaeTrainer.Result>();
        for (int i = 0; i < Betas.Length; i++)
        {
            context.Say(Invariant($"training the latent-{SweepLatent} VAE with β = {Betas[i]:G4}"));
            sweep.Add(VaeTrainer.Train(train, test, SweepLatent, hidden, Betas[i], epochs, BatchSize, LearningRate, Seed(context, i), context.Say));
        }
        context.Say("training the latent-2 VAE");
        var map = VaeTrainer.Train(train, test, MapLatent, hidden, 1, epochs, BatchSize, LearningRate, Seed(context, Betas.Length), context.Say);

        report.Setup(Invariant($"MLP VAEs (`Nabla.Models.MlpVae`, the network of PyTorch's VAE example): encoder 784 → {hidden} → (μ, log σ²), decoder z → {hidden} → 784 Bernoulli pixel logits. Each trains on the first {train.Count:N0} MNIST training images (pixels in [0, 1]) for {epochs} epoch(s), batch {BatchSize}, Adam lr {LearningRate:G3}, minimizing reconstruction + β·KL summed over each batch (`Functional.VaeLoss`), and is measured on the first {test.Count:N0} test images with one z per image."));
        report.SetupList(
            Invariant($"β sweep: latent {SweepLatent}, β ∈ {{{string.Join(", ", Betas.Select(b => b.ToString("G4", CultureInfo.InvariantCulture)))}}}, {Betas.Length} models of {sweep[0].Model.ParameterCount():N0} parameters."),
            Invariant($"latent map: latent {MapLatent}, β = 1, {map.Model.ParameterCount():N0} parameters."),
            Invariant($"seed {context.Seed}: every model's initial weights, ε draws and data order come from it."));

        var points = sweep.Select(r => new BetaTradeoff.Point(r.Beta, r.Test.Reconstruction, r.Test.Kl)).ToArray();
        var active = sweep.Select(r => LatentActivity.Count(LatentActivity.Variances(r.Model, test))).ToArray();
        Sweep(context, report, sweep, active);
        Pictures(context, report, sweep, test);
        Map(context, report, map, sweep.First(r => r.Beta == 1), test);

        var (verdict, reason) = BetaTradeoff.Judge(points);
        report.Number("kl_drop", points[0].Kl - points[^1].Kl)
            .Number("reconstruction_rise", points[^1].Reconstruction - points[0].Reconstruction)
            .Number("train_seconds", sweep.Sum(r => r.Seconds) + map.Seconds);
        report.Conclude(verdict, reason);

        report.Change("Edit `Betas` in src/Nabla.Cli/Lab/Experiments/Vae/VaeExperiment.cs for another sweep: β = 0 leaves an autoencoder with noisy codes, a larger β (8, 16) pushes more of the code to the prior.")
            .Change("`--seed S` draws other initial weights, ε and data orders; `--quick` and `--smoke` train on fewer images for fewer epochs.")
            .Change("For longer training, a conv VAE or other latent sizes: `nabla train vae --arch conv --latent 2 --beta 4 --epochs 20`, then `nabla sample vae --checkpoint RUN/model.safetensors` for samples, interpolations, the manifold and the latent scatter.");
    }

    private static void Sweep(LabContext context, LabReport report, List<VaeTrainer.Result> sweep, int[] active)
    {
        report.Section("The β sweep: reconstruction against KL");
        var table = new LabTable("β", "reconstruction −log p(x | z) (nats)", "KL(q(z | x) ‖ N(0, I)) (nats)", "−ELBO (nats)", "active latent dimensions", "last epoch's training loss");
        for (int i = 0; i < sweep.Count; i++)
        {
            var r = sweep[i];
            table.Row(LabFormat.G(r.Beta), LabFormat.F(r.Test.Reconstruction, 2), LabFormat.F(r.Test.Kl, 2), LabFormat.F(r.Test.NegativeElbo, 2),
                Invariant($"{active[i]} of {SweepLatent}"), LabFormat.F(r.EpochLosses[^1], 2));
            string key = r.Beta.ToString("G4", CultureInfo.InvariantCulture);
            report.Number($"reconstruction_beta_{key}", r.Test.Reconstruction).Number($"kl_beta_{key}", r.Test.Kl)
                .Number($"active_dims_beta_{key}", active[i]);
        }
        report.Table(table);
        report.Text(ActiveSentence(sweep, active));
        report.Text(Invariant($"Rule: the claim is supported if, in order of β, every step lowers the KL and raises the reconstruction error, and from the smallest to the largest β each moves by at least {BetaTradeoff.MinimumChange:G2} nat; not supported if the largest β has no lower KL or no higher reconstruction error than the smallest; otherwise inconclusive."));
        report.Text("All terms are per test image: reconstruction is the pixels' binary cross-entropy summed over the 784 pixels, KL the divergence of the encoder's Gaussian from the prior, and −ELBO their sum (β = 1, whatever β the model trained with). A latent dimension counts as active when its posterior mean varies across test images, Var_x(μ_j) > 0.01.");
        double[] betas = [.. sweep.Select(r => r.Beta)], reconstruction = [.. sweep.Select(r => r.Test.Reconstruction)], kl = [.. sweep.Select(r => r.Test.Kl)];
        SeriesPlot.Save(context.PathOf("tradeoff.png"),
        [
            new Panel("test-set terms against β", "β (weight of the KL term)", "nats per image",
            [
                new Series("reconstruction −log p(x | z)", betas, reconstruction, ScottPlot.Colors.Navy, Markers: true),
                new Series("KL(q(z | x) ‖ N(0, I))", betas, kl, ScottPlot.Colors.SeaGreen, Markers: true),
            ]),
            new Panel("rate against distortion (one point per β)", "KL = rate (nats per image)", "reconstruction = distortion (nats per image)",
            [
                new Series("β = " + string.Join(", ", betas.Select(b => b.ToString("G4", CultureInfo.InvariantCulture))) + " from right to left", kl, reconstruction, ScottPlot.Colors.OrangeRed, Markers: true),
            ]),
        ], panelWidth: 560, height: 460);
        report.Image("tradeoff.png", "Left: the two terms of the loss on the test set for each β. Right: the same models as points of a rate–distortion curve; a larger β moves along it toward fewer nats in the code and more error in the reconstruction.");
        report.Text("Why: a VAE maximizes the evidence lower bound log p(x) ≥ E_q(z|x)[log p(x | z)] − KL(q(z | x) ‖ p(z)). A β-VAE (Higgins et al., 2017) minimizes reconstruction + β·KL instead. The KL term is what the code costs: averaged over the data it bounds the mutual information I(x; z) from above, so it counts the nats about x that z carries. Raising β makes each of those nats dearer, so the encoder keeps fewer of them: it widens its Gaussians and pulls their means toward N(0, I), dimension by dimension; a dimension with q(z_j | x) = N(0, 1) for every x costs nothing and says nothing. The decoder then sees less about each digit and can only predict a blurrier average of the digits that share a code, and the reconstruction term grows. Lowering β does the opposite: sharper reconstructions, but posteriors so narrow and scattered that the prior N(0, I) puts mass where no digit was encoded, and prior samples decode to blends.");
    }

    private static void Pictures(LabContext context, LabReport report, List<VaeTrainer.Result> sweep, Nabla.Data.TensorDataset test)
    {
        report.Section("Reconstructions, samples and an interpolation");
        var originals = BetaImages.OnePerLabel(test, Columns);
        BetaImages.Reconstructions(context.PathOf("reconstructions.png"), originals, sweep);
        report.Image("reconstructions.png", "Test digits (top row) and their reconstructions σ(decoder(μ(x))) by each model of the sweep, β growing downward: the larger β, the blurrier and the more often a digit turns into another.");
        BetaImages.Samples(context.PathOf("samples.png"), sweep, Columns, context.Random(11));
        report.Image("samples.png", "The same ten z ~ N(0, I) decoded by each model, β growing downward: new digits from the prior. A small β leaves holes in the latent space that prior draws fall into; a large β gives smooth but vague digits.");
        var one = sweep.First(r => r.Beta == 1);
        GeneratorSamples.LatentInterpolation(context.PathOf("interpolation.png"), one.AsGenerator(), test, InterpolationSteps, context.Random(12));
        report.Image("interpolation.png", Invariant($"The β = 1 model: each row starts and ends with a test digit and decodes {InterpolationSteps} points of the straight line between their latent means; the digits morph through plausible shapes because the KL term packs the codes together."));
    }

    private static void Map(LabContext context, LabReport report, VaeTrainer.Result map, VaeTrainer.Result wide, Nabla.Data.TensorDataset test)
    {
        report.Section("The 2-dimensional latent map");
        var shown = ClassifierTrainer.Head(test, MapPoints);
        GeneratorSamples.LatentScatter(context.PathOf("latent-map.png"), map.AsGenerator(), shown);
        report.Image("latent-map.png", Invariant($"The encoder's mean μ(x) of each of the first {shown.Count:N0} test images under the latent-2 VAE (β = 1), coloured by the digit's label: the classes form neighbouring regions around the origin without any label in training."));
        report.Text(Invariant($"With two dimensions the code can hold little: the latent-2 model's test −ELBO is {map.Test.NegativeElbo:F2} nats (reconstruction {map.Test.Reconstruction:F2} + KL {map.Test.Kl:F2}), against {wide.Test.NegativeElbo:F2} (reconstruction {wide.Test.Reconstruction:F2} + KL {wide.Test.Kl:F2}) for latent {wide.Model.Latent} at β = 1."));
        var closest = LatentCentroids.Closest(LatentCentroids.Compute(map.Model, test), 3);
        if (closest.Count > 0)
            report.Text("The prior N(0, I) pulls the means into a disc about the origin, so digits must share it; the labels whose centres lie closest together (Euclidean distance between the mean μ of each label's test images) are " +
                string.Join(", ", closest.Select(p => Invariant($"{p.A} and {p.B} ({p.Distance:F2})"))) + ": digits that look alike get neighbouring codes although no label was used in training.");
        report.Number("latent2_reconstruction", map.Test.Reconstruction).Number("latent2_kl", map.Test.Kl);
    }

    // What the active-dimension column shows, in words.
    private static string ActiveSentence(List<VaeTrainer.Result> sweep, int[] active)
    {
        string counts = string.Join(", ", active.Select((a, i) => Invariant($"{a} at β = {sweep[i].Beta:G4}")));
        return active[^1] < active[0]
            ? $"Active latent dimensions: {counts}. The largest β switched whole dimensions off: it was cheaper to send nothing through them than to pay their KL."
            : active.All(a => a == SweepLatent) ? $"Active latent dimensions: {counts}. At this length of training a larger β shrank the information in every dimension rather than switching dimensions off: their posterior means vary less across digits, but all still vary."
            : $"Active latent dimensions: {counts}.";
    }

    private static long Seed(LabContext context, int model) => context.Seed * 1_000_003 + 101 * (model + 1);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
