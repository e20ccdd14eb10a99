using System.Globalization;
using Nabla.Cli.Generative;
using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Plots;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.GanVsVae;

/// <summary><c>nabla lab run gan-vs-vae</c>: a VAE and DCGANs of three seeds on MNIST, compared by the sharpness of
/// their images (variance of the Laplacian), the Fréchet distance of a CNN's features to the test images', the classes
/// they cover, and how much the GAN's results move from seed to seed.</summary>
internal sealed class GanVsVaeExperiment : ILabExperiment
{
    private const int Seeds = 3, GridColumns = 6, GridRows = 6, SeedRows = 5, HistogramBins = 30;

    /// <inheritdoc/>
    public string Name => "gan-vs-vae";

    /// <inheritdoc/>
    public string Title => "GAN against VAE: sharpness, fidelity, class coverage and run-to-run variance";

    /// <inheritdoc/>
    public string Claim => "GANs give sharper images than VAEs: closer to real images both in sharpness and in distribution.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        var trainAll = context.Mnist(train: true);
        var testAll = context.Mnist(train: false);
        var test = ClassifierTrainer.Head(testAll, context.Pick(60, 2_000, 10_000));
        var train = ClassifierTrainer.Head(trainAll, context.Pick(120, 20_000, 60_000));
        int batchSize = context.Pick(32, 64, 64);
        int ganSteps = context.Pick(3, 200, 2 * (train.Count / batchSize));
        int vaeEpochs = context.Pick(1, 3, 10), sharpnessCount = context.Pick(60, 1_000, 2_000);
        int samples = test.Count;

        var classifier = Contestants.LoadOrTrainClassifier(context, report, ClassifierTrainer.Head(trainAll, context.Pick(120, 10_000, 60_000)), test);
        var vae = Contestants.LoadOrTrainVae(context, report, train, test, vaeEpochs, context.Pick(64, 400, 400));
        var reusedGan = Contestants.ReuseGan(context, report);
        var runs = new List<GanTrainer.Result>();
        for (int s = 0; s < Seeds; s++)
        {
            context.Say(Invariant($"training DCGAN seed {s + 1} of {Seeds} for {ganSteps} steps"));
            runs.Add(GanTrainer.Train(train, ganSteps, batchSize, Contestants.Seed(context, 10 + s), context.Say));
        }

        report.Setup(Invariant($"Three kinds of image on MNIST: real test digits, samples of a VAE, and samples of DCGANs (`Nabla.Models.DcganGenerator`/`DcganDiscriminator`, the recipe of `nabla train gan --label-smoothing 0.1`: noise 100, Adam lr {GanTrainer.LearningRate:G3} β₁ {GanTrainer.Recipe.Beta1:G2}, label smoothing {GanTrainer.Recipe.LabelSmoothing:G2}, batch {batchSize})."));
        report.SetupList(
            $"VAE: {vae.Description}.",
            Invariant($"DCGANs: {Seeds} seeds trained here for {ganSteps:N0} steps each ({(double)ganSteps * batchSize / train.Count:F2} epochs of {train.Count:N0} images), {runs[0].Model.Gan!.ParameterCount():N0} generator parameters{(reusedGan is null ? "; all three are compared with the VAE" : "")}."),
            reusedGan is null ? "No earlier GAN run was reused." : $"GAN compared with the VAE: {reusedGan.Description}; the three seeds trained here measure the run-to-run spread of a short training.",
            $"Features for the Fréchet distance and the class shares: {classifier.Description}; the penultimate layer's 128 activations.",
            Invariant($"Fréchet distance: {samples:N0} generated against {test.Count:N0} test images; baseline {samples:N0} training images. Sharpness: {sharpnessCount:N0} images per model, and the first {Math.Min(sharpnessCount, test.Count):N0} test images."),
            Invariant($"Seed {context.Seed}: every network's initial weights, noise, data order and the sampled z derive from it."));

        var scoring = context.Random(20);
        var referenceImages = trainAll.Inputs.Narrow(0, 0, Math.Min(samples, trainAll.Count));
        var realImages = test.Inputs.Narrow(0, 0, Math.Min(sharpnessCount, test.Count));
        var real = new ModelScores("real test images", null, LaplacianVariance.PerImage(realImages), realImages);
        context.Say("scoring the VAE");
        var vaeScores = ModelScores.Measure("VAE", vae.Model, classifier, test.Inputs, referenceImages, samples, sharpnessCount, scoring, context.Random(21));
        var seedScores = new List<ModelScores>();
        for (int s = 0; s < Seeds; s++)
        {
            context.Say(Invariant($"scoring GAN seed {s + 1}"));
            // The same z for every seed (stream 22): the grids of the seeds show one noise through three generators.
            seedScores.Add(ModelScores.Measure(Invariant($"GAN seed {s + 1}"), runs[s].Model, classifier, test.Inputs, referenceImages, samples, sharpnessCount, scoring, context.Random(22)));
        }
        var compared = seedScores;
        if (reusedGan is not null)
        {
            context.Say("scoring the reused GAN");
            compared = [ModelScores.Measure("GAN (reused)", reusedGan.Model, classifier, test.Inputs, referenceImages, samples, sharpnessCount, scoring, context.Random(22))];
        }

        Samples(context, report, real, vaeScores, compared[0]);
        Comparison(context, report, real, vaeScores, compared, reusedGan is null ? [] : seedScores, test);
        Spread(context, report, runs, seedScores, reusedGan is not null);

        var (verdict, reason) = SharpnessVerdict.Judge(real.MeanSharpness, Scores(vaeScores), [.. compared.Select(Scores)]);
        report.Conclude(verdict, reason);
        report.Change("`--quick` reuses the newest `nabla train cnn`, `nabla train vae` and `nabla train gan` runs under `--runs DIR` (default `runs`) and trains only what is missing; a full run trains everything.")
            .Change("Longer GAN training: `nabla train gan --epochs 10 --label-smoothing 0.1`, then `nabla evaluate-generator --checkpoint RUN/model.safetensors --classifier CNN/model.safetensors` for its Fréchet distance on 10,000 samples.")
            .Change("Edit `Seeds` in src/Nabla.Cli/Lab/Experiments/GanVsVae/GanVsVaeExperiment.cs for more runs; `--seed S` draws another three.")
            .Change("A sharper VAE: a conv VAE (`nabla train vae --arch conv`), or a smaller β (see `nabla lab run vae`): the blur comes from the likelihood, so it shrinks but does not vanish.");
    }

    private static SharpnessVerdict.Scores Scores(ModelScores m) => new(m.MeanSharpness, m.Score!.FrechetDistance);

    private static void Samples(LabContext context, LabReport report, ModelScores real, ModelScores vae, ModelScores gan)
    {
        report.Section("Samples side by side");
        int count = Math.Min(GridRows * GridColumns, new[] { real, vae, gan }.Min(m => m.Images.Shape[0]) / GridColumns * GridColumns);
        SideBySideGrid.Save(context.PathOf("samples.png"), [real.Images.Narrow(0, 0, count), vae.Images.Narrow(0, 0, count), gan.Images.Narrow(0, 0, count)], GridColumns,
            $"real test digits  |  VAE samples  |  {gan.Name} samples");
        report.Image("samples.png", Invariant($"Left: real test digits. Middle: VAE samples σ(decoder(z)), z ~ N(0, I). Right: {gan.Name} samples (G(z) + 1)/2, z ~ N(0, I). Mean Laplacian variance (larger is sharper, next section): real {real.MeanSharpness:G3}, VAE {vae.MeanSharpness:G3}, {gan.Name} {gan.MeanSharpness:G3}."));
    }

    private static void Comparison(LabContext context, LabReport report, ModelScores real, ModelScores vae, List<ModelScores> compared, List<ModelScores> extra, Nabla.Data.TensorDataset test)
    {
        report.Section("Sharpness, Fréchet distance and class coverage");
        var table = new LabTable("images", "Laplacian variance (mean)", "gap to real", "Fréchet distance", "effective classes exp(H)", "rarest class (share)", "classifier confidence");
        var realShares = new double[10];
        foreach (long label in test.Targets.ToArray<long>()) if (label is >= 0 and < 10) realShares[label] += 1.0 / test.Count;
        int rarest = Array.IndexOf(realShares, realShares.Min());
        var referenceScore = vae.Score!;
        table.Row(real.Name, LabFormat.G(real.MeanSharpness), "0", Invariant($"{referenceScore.ReferenceDistance:F2} (training images)"),
            LabFormat.F(ModelScores.EffectiveClasses(realShares), 2), Invariant($"{rarest} ({realShares[rarest]:P1}, true labels)"), LabFormat.F(referenceScore.TestMeanConfidence, 3));
        foreach (var m in new[] { vae }.Concat(compared).Concat(extra))
        {
            var s = m.Score!;
            table.Row(m.Name, LabFormat.G(m.MeanSharpness), LabFormat.G(Math.Abs(m.MeanSharpness - real.MeanSharpness)), LabFormat.F(s.FrechetDistance, 2),
                LabFormat.F(ModelScores.EffectiveClasses(s.ClassShares), 2), Invariant($"{s.RarestClass} ({s.ClassShares[s.RarestClass]:P1})"), LabFormat.F(s.MeanConfidence, 3));
        }
        report.Table(table);
        report.Text(Invariant($"Rule: the claim is supported if every GAN compared ({(compared.Count == 1 ? compared[0].Name : "each seed")}) is closer than the VAE to the real images' mean Laplacian variance, and has a lower Fréchet distance, each by at least {SharpnessVerdict.Margin:P0} of the VAE's figure; not supported if the GANs' mean gap to the real sharpness is no smaller than the VAE's; otherwise (sharper but not closer in distribution, or not every seed by the margin) inconclusive."));
        report.Text("Laplacian variance: the variance over an image's pixels of ∇²x = x(i−1, j) + x(i+1, j) + x(i, j−1) + x(i, j+1) − 4x(i, j), large where edges are steep. Fréchet distance: ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁^½ Σ₂ Σ₁^½)^½) between Gaussians fitted to the CNN's penultimate-layer features of generated and of test images (FID with an MNIST classifier in place of Inception); the training-image row is what a perfect generator would score at this sample size. Effective classes: exp of the entropy of the classes the CNN predicts, 10 for a uniform spread.");

        report.Number("real_laplacian_var", real.MeanSharpness).Number("vae_laplacian_var", vae.MeanSharpness).Number("vae_frechet", vae.Score!.FrechetDistance)
            .Number("gan_laplacian_var", compared.Average(m => m.MeanSharpness)).Number("gan_frechet", compared.Average(m => m.Score!.FrechetDistance))
            .Number("reference_frechet", referenceScore.ReferenceDistance)
            .Number("vae_effective_classes", ModelScores.EffectiveClasses(vae.Score!.ClassShares))
            .Number("gan_effective_classes", compared.Average(m => ModelScores.EffectiveClasses(m.Score!.ClassShares)));

        var everyone = new[] { real, vae }.Concat(compared).ToArray();
        double top = Percentile(everyone.SelectMany(m => m.Sharpness), 0.99);
        Chart.Save(context.PathOf("sharpness.png"), "Sharpness: variance of the Laplacian per image", "Laplacian variance", "share of images",
            everyone.Select(m => Histogram(m.Name, m.Sharpness, top)));
        report.Image("sharpness.png", Invariant($"The distribution of the per-image Laplacian variance ({HistogramBins} bins up to the 99th percentile of all images): the further left, the blurrier."));

        var sources = new[] { vae }.Concat(compared).Concat(extra).ToArray();
        GroupedBars.Save(context.PathOf("classes.png"), "Class coverage: the digit the CNN sees in each image", "digit", "share of images (%)",
            [.. Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture))],
            [new GroupedBars.Series("test set (true labels)", [.. realShares.Select(p => 100 * p)]), .. sources.Select(m => new GroupedBars.Series(m.Name, [.. m.Score!.ClassShares.Select(p => 100 * p)]))]);
        report.Image("classes.png", "How often the CNN predicts each digit for each model's samples, beside the test set's true label shares; a model that drops or over-produces a digit strays from 10%.");

        report.Text("Why: the VAE's decoder is trained by maximum likelihood under a pixel-wise Bernoulli model. When the code z leaves a stroke's exact position uncertain, the likelihood is maximized by predicting its average over the plausible positions, p(pixel on) ≈ the fraction of them that cover the pixel, so edges come out grey and soft, and the blur is the optimum of the objective, not a failure to fit it. A GAN has no pixel likelihood: its generator is trained to make the discriminator D(x) misjudge its images, and a blurred digit is easy to tell from a real one, so blur is penalized directly and samples stay crisp. The price is that nothing in the GAN objective rewards covering every digit (a generator that makes only convincing 1s can fool D for a while), and training is a two-player game whose outcome depends on the seed, which the next section measures.");
    }

    private static void Spread(LabContext context, LabReport report, List<GanTrainer.Result> runs, List<ModelScores> seeds, bool shortRuns)
    {
        report.Section("Run-to-run variance of GAN training");
        var table = new LabTable("seed", "Fréchet distance", "Laplacian variance", "effective classes", "rarest class (share)", "final D loss", "final G loss", "training time");
        for (int s = 0; s < runs.Count; s++)
        {
            var score = seeds[s].Score!;
            table.Row(Invariant($"{s + 1} (seed {runs[s].Seed})"), LabFormat.F(score.FrechetDistance, 2), LabFormat.G(seeds[s].MeanSharpness),
                LabFormat.F(ModelScores.EffectiveClasses(score.ClassShares), 2), Invariant($"{score.RarestClass} ({score.ClassShares[score.RarestClass]:P1})"),
                LabFormat.F(runs[s].DiscriminatorLoss[^1], 3), LabFormat.F(runs[s].GeneratorLoss[^1], 3), LabFormat.Seconds(runs[s].Seconds));
            report.Number(Invariant($"gan_seed{s + 1}_frechet"), score.FrechetDistance);
        }
        report.Table(table);
        double[] frechet = [.. seeds.Select(m => m.Score!.FrechetDistance)];
        double mean = frechet.Average(), sd = StandardDeviation(frechet), sharpnessSd = StandardDeviation([.. seeds.Select(m => m.MeanSharpness)]);
        report.Number("gan_frechet_seed_sd", sd).Number("gan_frechet_seed_cv", mean > 0 ? sd / mean : 0);
        report.Text(Invariant($"Across the {runs.Count} seeds{(shortRuns ? ", each a short run of " + runs[0].Steps.ToString("N0", CultureInfo.InvariantCulture) + " steps," : "")} the Fréchet distance is {mean:F1} ± {sd:F1} (mean ± standard deviation; coefficient of variation {(mean > 0 ? sd / mean : 0):P0}, range {frechet.Min():F1} to {frechet.Max():F1}) and the Laplacian variance {seeds.Average(m => m.MeanSharpness):G4} ± {sharpnessSd:G3}. The same recipe, data and number of steps give different generators: the two networks chase each other, and where that pursuit stands when training stops depends on the initial weights and the noise."));

        SideBySideGrid.Save(context.PathOf("seeds.png"), [.. seeds.Select(m => m.Images.Narrow(0, 0, Math.Min(SeedRows * GridColumns, m.Images.Shape[0] / GridColumns * GridColumns)))], GridColumns,
            string.Join("  |  ", seeds.Select(m => m.Name)) + ": the same z");
        report.Image("seeds.png", "The same noise vectors z through the generators of the three seeds: same recipe, same data, different runs.");
        Chart.Save(context.PathOf("gan-training.png"), "DCGAN training: generator loss −log D(G(z)) per seed", "step", "generator loss (window mean)",
            runs.Select((r, s) => new Chart.Series(Invariant($"seed {s + 1}"), r.WindowEnds, r.GeneratorLoss)));
        report.Image("gan-training.png", "The generator's loss over training for each seed (means over windows of steps). It does not fall steadily as a supervised loss does: it measures the generator against a discriminator that is itself learning.");
    }

    private static Chart.Series Histogram(string name, double[] values, double top)
    {
        var counts = new double[HistogramBins];
        foreach (double v in values) counts[Math.Clamp((int)(v / top * HistogramBins), 0, HistogramBins - 1)] += 1.0 / values.Length;
        return new Chart.Series(name, [.. Enumerable.Range(0, HistogramBins).Select(b => (b + 0.5) * top / HistogramBins)], counts);
    }

    private static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return Math.Max(sorted[(int)(q * (sorted.Length - 1))], 1e-12);
    }

    private static double StandardDeviation(double[] values)
    {
        if (values.Length < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
