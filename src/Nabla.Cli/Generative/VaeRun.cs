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

/// <summary><c>nabla train vae</c>: trains a VAE on MNIST-format images with pixels in [0, 1], minimizing the β-weighted
/// negative ELBO summed over each batch (as PyTorch's VAE example) with Adam, measures the test set's negative ELBO per
/// image after every epoch, and fills a run folder: metrics.csv, model.safetensors, checkpoint.safetensors, config.json,
/// loss.png, samples.png and reconstructions.png.</summary>
/// <remarks>checkpoint.safetensors (a <see cref="TrainingCheckpoint"/>) is written at each epoch end; <c>--resume</c>
/// continues from it, and since each epoch's order is a function of (seed, epoch) and the generator that draws ε is
/// saved, the resumed run ends with the weights of one that never stopped. The test ELBO draws its ε from a generator of
/// its own, so measuring never disturbs training.</remarks>
internal static class VaeRun
{
    /// <summary>The columns of metrics.csv after epoch and step: per-image means over the steps since the previous row
    /// (train_*), and after each epoch its means and the test set's (test_*).</summary>
    public static readonly string[] Columns = ["train_loss", "train_reconstruction", "train_kl", "test_loss", "test_reconstruction", "test_kl", "seconds"];

    private const int EvaluationBatchSize = 500, SampleCount = 64, ReconstructionCount = 32;
    private const long EvaluationSeed = 0x7E57, SampleSeed = 0x5A3F1E;

    /// <summary>Trains and returns the last epoch's test evaluation (null when <see cref="GenerativeSettings.StopAfterSteps"/>
    /// stopped it); the last line written is <see cref="VaeEvaluation.Line"/>.</summary>
    public static VaeEvaluation? Execute(CliConsole console, GenerativeSettings settings, VaeRecipe recipe, RunConfig? resumed = null)
    {
        using var threads = new ThreadLimit(settings.Threads);
        var output = console.Out;
        MnistSource.Ensure(settings.DataDirectory, settings.FetchIfMissing, output);
        var train = MnistDataset.Load(settings.DataDirectory, train: true, normalize: false);
        var test = MnistDataset.Load(settings.DataDirectory, train: false, normalize: false);
        if (resumed is not null && train.Count != resumed.TrainSamples)
            throw new InvalidDataException(Invariant($"cannot resume {settings.RunDirectory}: {settings.DataDirectory} holds {train.Count:N0} training images but the run trained on {resumed.TrainSamples:N0}"));
        var image = ImageShape.FromSample([.. train.Inputs.Shape.Skip(1)]);
        var metadata = recipe.Metadata(image);
        string title = recipe.Title(image);

        Generator.ManualSeed(settings.Seed);   // before the model: initialization and ε draw from it
        var model = recipe.Build(image);
        var optimizer = new Adam(model.Parameters(), lr: settings.LearningRate);
        var loader = new DataLoader(train, settings.BatchSize, shuffle: true, seed: settings.Seed);
        var run = new RunFolder(settings.RunDirectory);
        var config = resumed ?? new RunConfig("train vae", metadata, "adam", settings.Epochs, settings.BatchSize, settings.LearningRate, "constant",
            settings.Seed, settings.Threads, Path.GetFullPath(settings.DataDirectory), train.Count, test.Count,
            DateTimeOffset.Now.ToString("o", CultureInfo.InvariantCulture), Versions.Library);

        output.WriteLine(Invariant($"nabla train vae: {title} ({model.ParameterCount():N0} parameters)"));
        output.WriteLine(Invariant($"  data: {train.Count:N0} training and {test.Count:N0} test images ({image.Channels}×{image.Height}×{image.Width}, pixels in [0, 1]) from {settings.DataDirectory}"));
        output.WriteLine(Invariant($"  training: {settings.Epochs} epochs, batch {settings.BatchSize}, Adam lr {settings.LearningRate:G4}, loss = BCE summed over pixels + {recipe.Beta:G4}·KL, seed {settings.Seed}, {settings.Threads} threads"));
        output.WriteLine($"  run folder: {run.Path}");

        int epochsDone = 0;
        long step = 0;
        double secondsBefore = 0;
        if (resumed is null) config.Save(run.Config);
        else
        {
            (epochsDone, step, secondsBefore) = Resume(run, config, model, optimizer);
            output.WriteLine(Invariant($"  resuming from {Path.GetFileName(run.Checkpoint)}: end of epoch {epochsDone}, step {step}"));
        }

        var clock = new RunClock(secondsBefore);
        long? stoppedAt = null;
        VaeEvaluation? last = null;
        if (epochsDone < settings.Epochs)
        {
            using var metrics = new MetricsTable(run.Metrics, Columns, append: resumed is not null);
            EpochProgress.Run(console, settings.Epochs, loader.Count, progress =>
            {
                int logEvery = Math.Clamp(loader.Count / 10, 1, 50);
                model.Train();
                for (int epoch = epochsDone + 1; epoch <= settings.Epochs; epoch++)
                {
                    progress.BeginEpoch(epoch);
                    var epochClock = Stopwatch.StartNew();
                    var epochSums = new Sums();
                    var window = new Sums();
                    int batch = 0;
                    foreach (var (x, _) in loader.Batches(epoch))
                    {
                        var terms = Step(model, optimizer, x, recipe.Beta);

                        double loss = terms.Loss.Item();
                        if (!double.IsFinite(loss))
                            throw new InvalidOperationException(Invariant($"training diverged: the loss is {loss} at step {step + 1}; try a smaller --lr"));
                        int n = x.Shape[0];
                        epochSums.Add(loss, terms.Reconstruction.Item(), terms.Kl.Item(), n);
                        window.Add(loss, terms.Reconstruction.Item(), terms.Kl.Item(), n);
                        step++;
                        batch++;
                        progress.Step(batch, () => Invariant($"epoch {epoch}/{settings.Epochs}  loss {window.Loss / Math.Max(window.Count, 1):F2}  {epochSums.Count / epochClock.Elapsed.TotalSeconds:N0} images/s"));
                        if (batch % logEvery == 0 || batch == loader.Count)
                        {
                            metrics.Row(epoch, step, window.Loss / window.Count, window.Reconstruction / window.Count, window.Kl / window.Count,
                                double.NaN, double.NaN, double.NaN, clock.Seconds);
                            window = new Sums();
                        }
                        if (settings.StopAfterSteps is long stop && step >= stop && batch < loader.Count)
                        {
                            stoppedAt = step;
                            return;
                        }
                    }
                    double imagesPerSecond = epochSums.Count / epochClock.Elapsed.TotalSeconds;
                    last = VaeEvaluation.Run(model, test, EvaluationBatchSize, EvaluationSeed);
                    metrics.Row(epoch, step, epochSums.Loss / epochSums.Count, epochSums.Reconstruction / epochSums.Count, epochSums.Kl / epochSums.Count,
                        last.NegativeElbo, last.Reconstruction, last.Kl, clock.Seconds);
                    var epochMetadata = new Dictionary<string, string>(metadata)
                    {
                        ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
                        ["test_negative_elbo"] = last.NegativeElbo.ToString("G6", CultureInfo.InvariantCulture),
                    };
                    Checkpoint.Save(run.Model, model, epochMetadata);
                    TrainingCheckpoint.Save(run.Checkpoint, model, optimizer, new TrainingPosition(epoch, 0, step), generator: Generator.Default,
                        metadata: RunMetadata.With(metadata, config, clock.Seconds));
                    progress.EndEpoch(Invariant($"epoch {epoch}/{settings.Epochs}  train loss {epochSums.Loss / epochSums.Count:F2}  test −ELBO {last.NegativeElbo:F2} (reconstruction {last.Reconstruction:F2} + KL {last.Kl:F2})  {imagesPerSecond:N0} images/s"));
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
            output.WriteLine(Invariant($"stopped after step {at} (--stop-after-steps); continue with: nabla train vae --resume {run.Path}"));
            return null;
        }
        last ??= VaeEvaluation.Run(model, test, EvaluationBatchSize, EvaluationSeed);
        SaveImages(run.Path, title, model, test);
        SavePlot(Path.Combine(run.Path, "loss.png"), title, MetricsTable.Read(run.Metrics, Columns));
        output.WriteLine($"wrote {run.Path}: metrics.csv, model.safetensors, checkpoint.safetensors, config.json, loss.png, samples.png, reconstructions.png");
        output.WriteLine(Invariant($"trained {settings.Epochs} epochs in {clock.Seconds:F1} s"));
        output.WriteLine(last.Line);
        return last;
    }

    /// <summary>One training step on the batch <paramref name="x"/> (pixels in [0, 1]): the β-weighted negative ELBO
    /// summed over the batch (<see cref="Functional.VaeLoss"/>, Bernoulli pixels), its backward pass and one optimizer
    /// step; returns the loss and its two terms.</summary>
    public static VaeLossTerms Step(Vae model, Optimizer optimizer, Tensor x, double beta)
    {
        var result = model.Call(x);
        var terms = Functional.VaeLoss(result.Logits, x, result.Mu, result.LogVar, beta, ReconstructionLoss.BinaryCrossEntropyWithLogits);
        optimizer.ZeroGrad();
        terms.Loss.Backward();
        optimizer.Step();
        return terms;
    }

    /// <summary>samples.png: 64 images decoded from z ~ N(0, I) with a fixed seed; reconstructions.png: the first 32 test
    /// images (odd rows) over their reconstructions σ(decoder(μ)) (even rows).</summary>
    private static void SaveImages(string folder, string title, Vae model, TensorDataset test)
    {
        model.Eval();
        using var _ = Tensor.NoGrad();
        var samples = model.Sample(SampleCount, new Generator(SampleSeed));
        ImageGrid.Save(Path.Combine(folder, "samples.png"), samples, columns: 8, scale: 2, title: $"{title}: decoded z ~ N(0, I)");

        var originals = test.Inputs.Narrow(0, 0, Math.Min(ReconstructionCount, test.Count));   // [n, C, H, W]
        var reconstructions = model.Generate(model.Encode(originals).Mu);
        int n = originals.Shape[0], rows = (n + 7) / 8;
        var pairs = new List<Tensor>();
        for (int r = 0; r < rows; r++)
        {
            int start = r * 8, count = Math.Min(8, n - start);
            pairs.Add(originals.Narrow(0, start, count));
            pairs.Add(reconstructions.Narrow(0, start, count));
        }
        ImageGrid.Save(Path.Combine(folder, "reconstructions.png"), Tensor.Cat(pairs, 0), columns: 8, scale: 2,
            title: $"{title}: test images and their reconstructions below");
    }

    /// <summary>loss.png: the negative ELBO per image over the steps (training, and test after each epoch), and the
    /// reconstruction and KL terms after each epoch.</summary>
    internal static void SavePlot(string path, string title, IReadOnlyList<MetricsRow> rows)
    {
        // Step rows leave the test columns empty; epoch rows (the epoch's means and the test set's) fill them.
        bool IsEpochRow(MetricsRow r) => !double.IsNaN(r.Values[Array.IndexOf(Columns, "test_loss")]);
        var stepRows = rows.Where(r => !IsEpochRow(r)).ToArray();
        double[] steps = [.. stepRows.Select(r => (double)r.Step)];
        double[] Column(string name) => [.. stepRows.Select(r => r.Values[Array.IndexOf(Columns, name)])];
        var epochRows = rows.Where(IsEpochRow).ToArray();
        double[] epochSteps = [.. epochRows.Select(r => (double)r.Step)];
        double[] EpochColumn(string name) => [.. epochRows.Select(r => r.Values[Array.IndexOf(Columns, name)])];
        var loss = new Panel($"{title}: loss per image", "step", "nats per image",
        [
            new Series("training loss (recent steps)", steps, Column("train_loss"), ScottPlot.Colors.SteelBlue),
            new Series("test negative ELBO (per epoch)", epochSteps, EpochColumn("test_loss"), ScottPlot.Colors.OrangeRed, Markers: true),
        ], Limits(Column("train_loss").Concat(EpochColumn("test_loss"))));
        var terms = new Panel($"{title}: the two terms", "step", "nats per image",
        [
            new Series("test reconstruction −log p(x | z)", epochSteps, EpochColumn("test_reconstruction"), ScottPlot.Colors.Navy, Markers: true),
            new Series("test KL(q(z | x) ‖ N(0, I))", epochSteps, EpochColumn("test_kl"), ScottPlot.Colors.SeaGreen, Markers: true),
        ]);
        SeriesPlot.Save(path, [loss, terms]);
    }

    // The first steps' loss (≈ 540 nats for MNIST) would flatten the rest; clip at a high percentile.
    private static (double, double)? Limits(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return null;
        double low = sorted[0], high = sorted[(int)(0.9 * (sorted.Length - 1))];
        double pad = Math.Max((high - low) * 0.1, 1);
        return (low - pad, high + pad);
    }

    private static (int Epoch, long Step, double Seconds) Resume(RunFolder run, RunConfig config, Module model, Optimizer optimizer)
    {
        if (!File.Exists(run.Checkpoint))
            throw new InvalidOperationException($"cannot resume {run.Path}: it has no {Path.GetFileName(run.Checkpoint)} (the run stopped before the end of its first epoch); start it again without --resume");
        try
        {
            var checkpoint = TrainingCheckpoint.Read(run.Checkpoint);
            double seconds = RunMetadata.Check(checkpoint.Metadata, run.Checkpoint, config, run.Config);
            checkpoint.Restore(model, optimizer, null, Generator.Default);
            MetricsTable.KeepUpTo(run.Metrics, Columns, checkpoint.Position.Step);
            return (checkpoint.Position.Epoch, checkpoint.Position.Step, seconds);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"cannot resume {run.Path}: {e.Message}", e);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Running sums of the per-batch loss terms and the images they cover.</summary>
    private sealed class Sums
    {
        public double Loss { get; private set; }

        public double Reconstruction { get; private set; }

        public double Kl { get; private set; }

        public long Count { get; private set; }

        public void Add(double loss, double reconstruction, double kl, int images)
        {
            Loss += loss;
            Reconstruction += reconstruction;
            Kl += kl;
            Count += images;
        }
    }
}
