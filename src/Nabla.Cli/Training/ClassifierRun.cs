using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Data;
using Nabla.Cli.Progress;
using Nabla.Data;
using Nabla.IO;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Training;

/// <summary>Trains an image classifier on MNIST-format data with Adam and cross-entropy, evaluates it on the test split
/// after every epoch, and fills a run folder: metrics.csv, model.safetensors, config.json, loss.png.
/// Every <c>nabla train KIND</c> (and <c>nabla demo</c>) is this loop with its own model.</summary>
internal static class ClassifierRun
{
    private const int EvaluationBatchSize = 1000;

    /// <summary>Runs training and returns the final test accuracy; the last line written is "test accuracy: NN.NN%".</summary>
    /// <param name="console">Where progress and results go.</param>
    /// <param name="command">"demo", "train mlp": recorded in config.json.</param>
    /// <param name="settings">The shared training options.</param>
    /// <param name="recipeFor">Builds the model recipe from one sample's shape ([1, 28, 28]) and the class count.</param>
    public static double Execute(CliConsole console, string command, TrainSettings settings, Func<int[], int, ModelRecipe> recipeFor)
    {
        using var threads = new ThreadLimit(settings.Threads);
        var output = console.Out;

        MnistSource.Ensure(settings.DataDirectory, settings.FetchIfMissing, output);
        var train = MnistDataset.Load(settings.DataDirectory, train: true);
        var test = MnistDataset.Load(settings.DataDirectory, train: false);
        var recipe = recipeFor([.. train.Inputs.Shape.Skip(1)], Mnist.ClassCount);

        Generator.ManualSeed(settings.Seed);   // before the model: initialization and shuffling both draw from it
        var model = recipe.Build();
        var optimizer = new Adam(model.Parameters(), lr: settings.LearningRate);
        var loader = new DataLoader(train, settings.BatchSize, shuffle: true);
        var run = new RunFolder(settings.RunDirectory);
        WriteConfig(run, command, settings, recipe, train.Count, test.Count);

        output.WriteLine(Invariant($"nabla {command}: {recipe.Title} ({model.ParameterCount():N0} parameters)"));
        output.WriteLine(Invariant($"  data: {train.Count:N0} training and {test.Count:N0} test images from {settings.DataDirectory}"));
        output.WriteLine(Invariant($"  training: {settings.Epochs} epochs, batch {settings.BatchSize}, Adam lr {settings.LearningRate:G4} ({LearningRates.Name(settings.Schedule)}), seed {settings.Seed}, {settings.Threads} threads"));
        output.WriteLine($"  run folder: {run.Path}");

        var stepLosses = new List<double>();
        var epochs = new List<EpochResult>();
        using (var metrics = new MetricsLog(run.Metrics))
        {
            var loop = new Loop(settings, model, optimizer, loader, test, recipe, run, metrics, stepLosses, epochs);
            console.TrainingView().Run(settings.Epochs, loader.Count, loop.Run);
        }

        LossPlot.Save(run.LossPlot, $"{recipe.Title} on MNIST: loss", stepLosses, epochs);
        var last = epochs[^1];
        output.WriteLine($"wrote {run.Path}: metrics.csv, model.safetensors, config.json, loss.png");
        output.WriteLine(Invariant($"trained {settings.Epochs} epochs in {last.Seconds:F1} s ({epochs.Average(e => e.SamplesPerSecond):N0} samples/s); test loss {last.TestLoss:F4}"));
        output.WriteLine(Evaluation.AccuracyLine(last.TestAccuracy));
        return last.TestAccuracy;
    }

    private static void WriteConfig(RunFolder run, string command, TrainSettings s, ModelRecipe recipe, int trainCount, int testCount) =>
        new RunConfig(command, recipe.Metadata, "adam", s.Epochs, s.BatchSize, s.LearningRate, LearningRates.Name(s.Schedule), s.Seed,
            s.Threads, Path.GetFullPath(s.DataDirectory), trainCount, testCount,
            DateTimeOffset.Now.ToString("o", CultureInfo.InvariantCulture), Versions.Library).Save(run.Config);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The epochs and steps of one run, reporting to a progress view.</summary>
    private sealed class Loop(TrainSettings settings, Module<Tensor, Tensor> model, Optimizer optimizer, DataLoader loader,
        TensorDataset test, ModelRecipe recipe, RunFolder run, MetricsLog metrics, List<double> stepLosses, List<EpochResult> epochs)
    {
        public void Run(ITrainingProgress progress)
        {
            var scheduler = LearningRates.Create(settings.Schedule, optimizer, (long)settings.Epochs * loader.Count);
            // About ten loss rows per epoch in metrics.csv, each the mean over its window of steps.
            int logEvery = Math.Clamp(loader.Count / 10, 1, 50);
            var clock = Stopwatch.StartNew();
            long step = 0;
            model.Train();
            for (int epoch = 1; epoch <= settings.Epochs; epoch++)
            {
                progress.BeginEpoch(epoch);
                var epochClock = Stopwatch.StartNew();
                double epochLoss = 0, windowLoss = 0, lr = settings.LearningRate;
                int batches = 0, window = 0;
                long samples = 0;
                foreach (var (x, y) in loader)
                {
                    lr = optimizer.LearningRate;
                    var loss = Functional.CrossEntropy(model.Call(x), y);
                    optimizer.ZeroGrad();
                    loss.Backward();
                    optimizer.Step();
                    scheduler?.Step();

                    double value = loss.Item();
                    if (!double.IsFinite(value))
                        throw new InvalidOperationException(Invariant($"training diverged: the loss is {value} at step {step + 1} (lr {lr:G4}); try a smaller --lr"));
                    step++; batches++; window++;
                    samples += x.Shape[0];
                    epochLoss += value;
                    windowLoss += value;
                    stepLosses.Add(value);
                    progress.Step(batches, value, samples / epochClock.Elapsed.TotalSeconds);
                    if (window == logEvery)
                    {
                        metrics.Step(epoch, step, windowLoss / window, lr, clock.Elapsed.TotalSeconds);
                        windowLoss = 0;
                        window = 0;
                    }
                }
                double stepSeconds = epochClock.Elapsed.TotalSeconds;

                progress.Evaluating();
                var evaluation = Evaluation.Run(model, test, EvaluationBatchSize);
                var result = new EpochResult(epoch, step, epochLoss / batches, evaluation.Loss, evaluation.Accuracy, lr,
                    samples / stepSeconds, clock.Elapsed.TotalSeconds);
                metrics.Epoch(result);
                epochs.Add(result);
                // Saved every epoch (atomically), so a stopped run keeps its latest model.
                var metadata = new Dictionary<string, string>(recipe.Metadata)
                {
                    ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
                    ["test_accuracy"] = evaluation.Accuracy.ToString("G6", CultureInfo.InvariantCulture),
                };
                Checkpoint.Save(run.Model, model, metadata);
                progress.EndEpoch(result);
            }
        }
    }
}
