using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Data;
using Nabla.Cli.Models;
using Nabla.Cli.Training;
using Nabla.Data;
using Nabla.IO;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Generative;

/// <summary><c>nabla train gan</c>: trains the DCGAN (<see cref="DcganGenerator"/>, <see cref="DcganDiscriminator"/>) on
/// MNIST-format images scaled to [−1, 1], one discriminator and one generator update per step, each network with its
/// own Adam; fills a run folder with metrics.csv, model.safetensors (the generator), discriminator.safetensors,
/// checkpoint.safetensors, config.json, samples-epoch-NN.png (the same fixed noise after every epoch), samples.png and
/// curves.png (the two losses, and D's mean output on the real and the generated batches).</summary>
/// <remarks>
/// A step: x real, z ~ N(0, I), x̃ = G(z); D's update minimizes <see cref="Functional.GanDiscriminatorLoss"/>(D(x), D(x̃)
/// detached, s); G's update minimizes <see cref="Functional.GanGeneratorLoss"/>(D(x̃)), the non-saturating loss, as in
/// PyTorch's DCGAN example. checkpoint.safetensors (<see cref="GanCheckpoint"/>) is written at each epoch end and
/// <c>--resume</c> continues from it exactly: each epoch's order is a function of (seed, epoch) and the generator that
/// draws z is saved with it.
/// </remarks>
internal static class GanRun
{
    /// <summary>The columns of metrics.csv after epoch and step, each the mean over the steps since the previous row: the
    /// two losses, D's mean probability of "real" on the real batch (D(x)) and on the generated one before D's update
    /// (D(G(z))), and the seconds trained.</summary>
    public static readonly string[] Columns = ["d_loss", "g_loss", "d_real", "d_fake", "seconds"];

    private const int FixedNoiseCount = 64;
    private const long FixedNoiseSeed = 0xF1CED;

    /// <summary>Trains; returns false when <see cref="GenerativeSettings.StopAfterSteps"/> stopped it.</summary>
    public static bool Execute(CliConsole console, GenerativeSettings settings, GanRecipe recipe, RunConfig? resumed = null)
    {
        using var threads = new ThreadLimit(settings.Threads);
        var output = console.Out;
        MnistSource.Ensure(settings.DataDirectory, settings.FetchIfMissing, output);
        var train = MnistDataset.Load(settings.DataDirectory, train: true, normalize: false);
        if (resumed is not null && train.Count != resumed.TrainSamples)
            throw new InvalidDataException(Invariant($"cannot resume {settings.RunDirectory}: {settings.DataDirectory} holds {train.Count:N0} training images but the run trained on {resumed.TrainSamples:N0}"));
        var image = ImageShape.FromSample([.. train.Inputs.Shape.Skip(1)]);
        GanRecipe.CheckImages(image, settings.DataDirectory);
        var metadata = recipe.Metadata(image);

        Generator.ManualSeed(settings.Seed);   // before the networks: initialization and z draw from it
        var g = new DcganGenerator(recipe.Latent);
        var d = new DcganDiscriminator();
        var optimizerG = new Adam(g.Parameters(), lr: settings.LearningRate, beta1: recipe.Beta1);
        var optimizerD = new Adam(d.Parameters(), lr: settings.LearningRate, beta1: recipe.Beta1);
        var loader = new DataLoader(train, settings.BatchSize, shuffle: true, seed: settings.Seed);
        var fixedNoise = Tensor.Randn([FixedNoiseCount, recipe.Latent], generator: new Generator(FixedNoiseSeed));
        var run = new RunFolder(settings.RunDirectory);
        string discriminatorPath = Path.Combine(run.Path, "discriminator.safetensors");
        var config = resumed ?? new RunConfig("train gan", metadata, "adam", settings.Epochs, settings.BatchSize, settings.LearningRate, "constant",
            settings.Seed, settings.Threads, Path.GetFullPath(settings.DataDirectory), train.Count, 0,
            DateTimeOffset.Now.ToString("o", CultureInfo.InvariantCulture), Versions.Library);

        output.WriteLine(Invariant($"nabla train gan: {recipe.Title}: generator {g.ParameterCount():N0} and discriminator {d.ParameterCount():N0} parameters"));
        output.WriteLine(Invariant($"  data: {train.Count:N0} training images ({image.Channels}×{image.Height}×{image.Width}, scaled to [−1, 1]) from {settings.DataDirectory}"));
        output.WriteLine(Invariant($"  training: {settings.Epochs} epochs, batch {settings.BatchSize}, Adam lr {settings.LearningRate:G4} β₁ {recipe.Beta1:G4} for both networks, label smoothing {recipe.LabelSmoothing:G4}, seed {settings.Seed}, {settings.Threads} threads"));
        output.WriteLine($"  run folder: {run.Path}");

        int epochsDone = 0;
        long step = 0;
        double secondsBefore = 0;
        if (resumed is null) config.Save(run.Config);
        else
        {
            (epochsDone, step, secondsBefore) = Resume(run, config, g, d, optimizerG, optimizerD);
            output.WriteLine(Invariant($"  resuming from {Path.GetFileName(run.Checkpoint)}: end of epoch {epochsDone}, step {step}"));
        }

        var clock = new RunClock(secondsBefore);
        long? stoppedAt = null;
        if (epochsDone < settings.Epochs)
        {
            using var metrics = new MetricsTable(run.Metrics, Columns, append: resumed is not null);
            EpochProgress.Run(console, settings.Epochs, loader.Count, progress =>
            {
                int logEvery = Math.Clamp(loader.Count / 20, 1, 50);
                for (int epoch = epochsDone + 1; epoch <= settings.Epochs; epoch++)
                {
                    progress.BeginEpoch(epoch);
                    g.Train();
                    d.Train();
                    var epochClock = Stopwatch.StartNew();
                    var epochSums = new double[4];
                    var window = new double[4];
                    int batch = 0, windowSteps = 0;
                    long images = 0;
                    foreach (var (x, _) in loader.Batches(epoch))
                    {
                        var (dLoss, gLoss, dReal, dFake) = Step(g, d, optimizerG, optimizerD, x, recipe);
                        if (!double.IsFinite(dLoss) || !double.IsFinite(gLoss))
                            throw new InvalidOperationException(Invariant($"training diverged: D loss {dLoss}, G loss {gLoss} at step {step + 1}; try a smaller --lr"));
                        double[] values = [dLoss, gLoss, dReal, dFake];
                        for (int k = 0; k < 4; k++) { epochSums[k] += values[k]; window[k] += values[k]; }
                        step++;
                        batch++;
                        windowSteps++;
                        images += x.Shape[0];
                        progress.Step(batch, () => Invariant($"epoch {epoch}/{settings.Epochs}  D loss {window[0] / windowSteps:F3}  G loss {window[1] / windowSteps:F3}  {images / epochClock.Elapsed.TotalSeconds:N0} images/s"));
                        if (batch % logEvery == 0 || batch == loader.Count)
                        {
                            metrics.Row(epoch, step, window[0] / windowSteps, window[1] / windowSteps, window[2] / windowSteps, window[3] / windowSteps, clock.Seconds);
                            Array.Clear(window);
                            windowSteps = 0;
                        }
                        if (settings.StopAfterSteps is long stop && step >= stop && batch < loader.Count)
                        {
                            stoppedAt = step;
                            return;
                        }
                    }
                    double imagesPerSecond = images / epochClock.Elapsed.TotalSeconds;
                    SaveSamples(Path.Combine(run.Path, Invariant($"samples-epoch-{epoch:D2}.png")), g, fixedNoise, Invariant($"{recipe.Title} after epoch {epoch}: fixed noise"));
                    var epochMetadata = new Dictionary<string, string>(metadata) { ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture) };
                    Checkpoint.Save(run.Model, g, epochMetadata);
                    Checkpoint.Save(discriminatorPath, d, new Dictionary<string, string> { ["arch"] = "dcgan-discriminator", ["epoch"] = epochMetadata["epoch"] });
                    GanCheckpoint.Save(run.Checkpoint, g, d, optimizerG, optimizerD, epoch, step, Generator.Default, RunMetadata.With(metadata, config, clock.Seconds));
                    progress.EndEpoch(Invariant($"epoch {epoch}/{settings.Epochs}  D loss {epochSums[0] / batch:F3}  G loss {epochSums[1] / batch:F3}  D(x) {epochSums[2] / batch:F3}  D(G(z)) {epochSums[3] / batch:F3}  {imagesPerSecond:N0} images/s"));
                    if (settings.StopAfterSteps is long stopAtEnd && step >= stopAtEnd)
                    {
                        stoppedAt = epoch < settings.Epochs ? step : null;
                        return;
                    }
                }
            });
        }
        else output.WriteLine(Invariant($"run {run.Path} is already complete: {epochsDone} of {settings.Epochs} epochs"));

        if (stoppedAt is long at)
        {
            output.WriteLine(Invariant($"stopped after step {at} (--stop-after-steps); continue with: nabla train gan --resume {run.Path}"));
            return false;
        }
        SaveSamples(Path.Combine(run.Path, "samples.png"), g, fixedNoise, $"{recipe.Title}: fixed noise");
        SavePlot(Path.Combine(run.Path, "curves.png"), recipe.Title, MetricsTable.Read(run.Metrics, Columns));
        output.WriteLine($"wrote {run.Path}: metrics.csv, model.safetensors (the generator), discriminator.safetensors, checkpoint.safetensors, config.json, samples-epoch-NN.png, samples.png, curves.png");
        output.WriteLine(Invariant($"trained {settings.Epochs} epochs in {clock.Seconds:F1} s; sample with: nabla sample gan --checkpoint {run.Model}"));
        return true;
    }

    /// <summary>One D update then one G update on the real batch <paramref name="x"/> (pixels in [0, 1]); returns the two
    /// losses and D's mean output on the real and the generated batch.</summary>
    public static (double DLoss, double GLoss, double DReal, double DFake) Step(DcganGenerator g, DcganDiscriminator d, Optimizer optimizerG,
        Optimizer optimizerD, Tensor x, GanRecipe recipe)
    {
        var real = x.Mul(2).Sub(1);                                   // [B, 1, 28, 28] in [−1, 1]
        var z = Tensor.Randn([x.Shape[0], recipe.Latent]);
        var fake = g.Call(z);

        var realLogits = d.Call(real);                                // [B, 1]
        var fakeLogits = d.Call(fake.Detach());
        var lossD = Functional.GanDiscriminatorLoss(realLogits, fakeLogits, recipe.LabelSmoothing);
        optimizerD.ZeroGrad();
        lossD.Backward();
        optimizerD.Step();

        var lossG = Functional.GanGeneratorLoss(d.Call(fake));        // D just updated, as in PyTorch's DCGAN example
        optimizerG.ZeroGrad();
        lossG.Backward();
        optimizerG.Step();

        using var _ = Tensor.NoGrad();
        return (lossD.Item(), lossG.Item(), realLogits.Sigmoid().Mean().Item(), fakeLogits.Sigmoid().Mean().Item());
    }

    /// <summary>An 8×8 grid of G's images of <paramref name="noise"/>, in evaluation mode (batch norm's running statistics).</summary>
    public static void SaveSamples(string path, DcganGenerator g, Tensor noise, string title)
    {
        bool wasTraining = g.Training;
        g.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var images = g.Call(noise).Add(1).Mul(0.5);               // [−1, 1] → [0, 1]
            ImageGrid.Save(path, images, columns: 8, scale: 2, title: title);
        }
        finally
        {
            g.Train(wasTraining);
        }
    }

    /// <summary>curves.png: D's and G's losses over the steps (left) and D's mean output on real and generated batches (right).</summary>
    internal static void SavePlot(string path, string title, IReadOnlyList<MetricsRow> rows)
    {
        double[] steps = [.. rows.Select(r => (double)r.Step)];
        double[] Column(string name) => [.. rows.Select(r => r.Values[Array.IndexOf(Columns, name)])];
        var losses = new Panel($"{title}: losses", "step", "binary cross-entropy",
        [
            new Series("discriminator (real + fake)", steps, Column("d_loss"), ScottPlot.Colors.OrangeRed),
            new Series("generator (−log D(G(z)))", steps, Column("g_loss"), ScottPlot.Colors.Navy),
        ]);
        var outputs = new Panel($"{title}: discriminator outputs", "step", "mean D (probability of real)",
        [
            new Series("D(x), real batch", steps, Column("d_real"), ScottPlot.Colors.SeaGreen),
            new Series("D(G(z)), generated batch", steps, Column("d_fake"), ScottPlot.Colors.DarkViolet),
        ], (0, 1));
        SeriesPlot.Save(path, [losses, outputs]);
    }

    private static (int Epoch, long Step, double Seconds) Resume(RunFolder run, RunConfig config, DcganGenerator g, DcganDiscriminator d,
        Optimizer optimizerG, Optimizer optimizerD)
    {
        if (!File.Exists(run.Checkpoint))
            throw new InvalidOperationException($"cannot resume {run.Path}: it has no {Path.GetFileName(run.Checkpoint)} (the run stopped before the end of its first epoch); start it again without --resume");
        try
        {
            var (epoch, step) = GanCheckpoint.Restore(run.Checkpoint, g, d, optimizerG, optimizerD, Generator.Default, out var metadata);
            double seconds = RunMetadata.Check(metadata, run.Checkpoint, config, run.Config);
            MetricsTable.KeepUpTo(run.Metrics, Columns, step);
            return (epoch, step, seconds);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"cannot resume {run.Path}: {e.Message}", e);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
