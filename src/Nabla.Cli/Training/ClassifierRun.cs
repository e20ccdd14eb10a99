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

/// <summary>Trains an image classifier on MNIST-format data with cross-entropy and the chosen optimizer, evaluates it on
/// the test split after every epoch, and fills a run folder: metrics.csv, model.safetensors, checkpoint.safetensors,
/// config.json, loss.png, curves.png and misclassified.png. Every <c>nabla train KIND</c> (and <c>nabla demo</c>) is this
/// loop with its own model.</summary>
/// <remarks>checkpoint.safetensors holds the whole training state (<see cref="TrainingCheckpoint"/>) and is replaced
/// atomically every <see cref="TrainSettings.CheckpointEvery"/> steps and at each epoch end; model.safetensors holds the
/// weights alone after each epoch. Each epoch's order is a function of (seed, epoch), and the generator that
/// initialization and dropout draw from is saved, so a resumed run repeats exactly what the stopped one would have done.
/// The number of classes is the largest training label + 1 (<see cref="DataClasses"/>).</remarks>
internal static class ClassifierRun
{
    // 250 images per forward pass: for the CNN, batches of 1000 took 784 MB at peak (conv2's im2col columns alone are
    // 1000 × 288 × 196 floats) against 337 MB, and were no faster.
    private const int EvaluationBatchSize = 250;

    /// <summary>Runs training and returns the final test accuracy; the last line written is "test accuracy: NN.NN%".
    /// A run stopped by <see cref="TrainSettings.StopAfterSteps"/> returns NaN.</summary>
    /// <param name="console">Where progress and results go.</param>
    /// <param name="command">"demo", "train mlp": recorded in config.json.</param>
    /// <param name="settings">The shared training options.</param>
    /// <param name="recipeFor">Builds the model recipe from one sample's shape ([1, 28, 28]) and the class count (from the labels).</param>
    /// <param name="resumed">The configuration of the run in <see cref="TrainSettings.RunDirectory"/> to resume from its
    /// checkpoint, or null to start a new run.</param>
    /// <param name="data">Makes the data once the thread limit is set; null: the MNIST-format files of the settings' data folder.</param>
    public static double Execute(CliConsole console, string command, TrainSettings settings, Func<int[], int, ModelRecipe> recipeFor, RunConfig? resumed = null,
        Func<ClassifierData>? data = null)
    {
        using var threads = new ThreadLimit(settings.Threads);
        var output = console.Out;

        var source = data?.Invoke() ?? ClassifierData.Mnist(settings, output);
        var (train, test) = (source.Train, source.Test);
        if (resumed is not null && train.Count != resumed.TrainSamples)
            throw new InvalidDataException(Invariant($"cannot resume {settings.RunDirectory}: {source.Source} holds {train.Count:N0} training {source.Samples} but the run trained on {resumed.TrainSamples:N0}; each epoch's batches would differ"));
        int classes = DataClasses.Count(train, test, source.Source);
        var recipe = recipeFor([.. train.Inputs.Shape.Skip(1)], classes);
        string dataName = source.Name;

        Generator.ManualSeed(settings.Seed);   // before the model: initialization and dropout draw from it
        var model = recipe.Build();
        var optimizer = Optimizers.Create(settings.Optimizer, model.Parameters(), settings.LearningRate, settings.Momentum, settings.WeightDecay);
        var augmentation = settings.Augment ? source.Augmentation ?? Augmentation.Create(source.Mean, source.Std) : null;
        var loader = new DataLoader(train, settings.BatchSize, shuffle: true, seed: settings.Seed, transform: augmentation);
        var scheduler = LearningRates.Create(settings.Schedule, optimizer, (long)settings.Epochs * loader.Count, loader.Count);
        var run = new RunFolder(settings.RunDirectory);
        var config = resumed ?? NewConfig(command, settings, recipe, train.Count, test.Count);

        output.WriteLine(Invariant($"nabla {command}: {recipe.Title} ({model.ParameterCount():N0} parameters)"));
        output.WriteLine(Invariant($"  data: {train.Count:N0} training and {test.Count:N0} test {source.Samples} of {classes} classes from {source.Source}"));
        string optimizerText = Optimizers.Describe(settings.Optimizer, settings.LearningRate, settings.Momentum, settings.WeightDecay);
        output.WriteLine(Invariant($"  training: {settings.Epochs} epochs, batch {settings.BatchSize}, {optimizerText} ({LearningRates.Name(settings.Schedule)}){(settings.Augment ? ", augmented" : "")}, seed {settings.Seed}, {settings.Threads} threads"));
        output.WriteLine($"  run folder: {run.Path}");

        RunHistory history;
        if (resumed is null)
        {
            config.Save(run.Config);
            history = RunHistory.Fresh();
        }
        else
        {
            history = Resume(run, config, model, optimizer, scheduler);
            var at = history.Position;
            output.WriteLine(Invariant($"  resuming from {Path.GetFileName(run.Checkpoint)}: step {at.Step}, {(at.AtEpochEnd ? $"end of epoch {at.Epoch}" : $"epoch {at.Epoch + 1} after batch {at.Batch} of {loader.Count}")}"));
            if (at.Epoch >= settings.Epochs)
            {
                output.WriteLine(Invariant($"run {run.Path} is already complete: {at.Epoch} of {settings.Epochs} epochs"));
                var final = Evaluation.Run(model, test, EvaluationBatchSize);
                output.WriteLine(Evaluation.AccuracyLine(final.Accuracy));
                return final.Accuracy;
            }
        }

        var stepLosses = history.StepLosses;
        var epochs = history.Epochs;
        int epochsBefore = epochs.Count;
        var loop = new Loop(settings, model, optimizer, scheduler, loader, test, recipe, config, run, history);
        using (var metrics = new MetricsLog(run.Metrics, append: resumed is not null))
            console.TrainingView().Run(settings.Epochs, loader.Count, progress => loop.Run(progress, metrics));

        if (loop.StoppedAt is long stoppedAt)
        {
            output.WriteLine(Invariant($"stopped after step {stoppedAt} (--stop-after-steps); continue with: nabla train {recipe.Metadata.GetValueOrDefault("arch", "KIND")} --resume {run.Path}"));
            return double.NaN;
        }

        LossPlot.Save(run.LossPlot, $"{recipe.Title} on {dataName}: loss", stepLosses, epochs);
        CurvesPlot.Save(run.Curves, $"{recipe.Title} on {dataName}", epochs);
        // The loop ran to its end, so it finished and evaluated at least the last epoch: LastEvaluation is set.
        int misclassified = MisclassifiedGrid.Save(run.Misclassified, recipe.Title, test, loop.LastEvaluation!.Predictions, source.Mean, source.Std);
        var last = epochs[^1];
        var throughputs = epochs.Skip(epochsBefore).Select(e => e.SamplesPerSecond).Where(double.IsFinite).ToList();
        string throughput = throughputs.Count > 0 ? Invariant($" ({throughputs.Average():N0} samples/s)") : "";
        output.WriteLine($"wrote {run.Path}: metrics.csv, model.safetensors, checkpoint.safetensors, config.json, loss.png, curves.png, misclassified.png");
        output.WriteLine(Invariant($"trained {settings.Epochs} epochs in {last.Seconds:F1} s{throughput}; test loss {last.TestLoss:F4}, {misclassified:N0} of {test.Count:N0} test {source.Samples} misclassified"));
        output.WriteLine(Evaluation.AccuracyLine(last.TestAccuracy));
        return last.TestAccuracy;
    }

    // Everything is checked before the model, optimizer, schedule or generator change (TrainingCheckpoint.Restore), and
    // metrics.csv is trimmed to the checkpoint's step only once the checkpoint has been accepted.
    private static RunHistory Resume(RunFolder run, RunConfig config, Module model, Optimizer optimizer, LrScheduler? scheduler)
    {
        if (!File.Exists(run.Checkpoint))
            throw new InvalidOperationException($"cannot resume {run.Path}: it has no {Path.GetFileName(run.Checkpoint)} (the run stopped before its first checkpoint); start it again without --resume");
        try
        {
            var checkpoint = TrainingCheckpoint.Read(run.Checkpoint);
            var history = RunHistory.Read(checkpoint, config, run.Config);
            checkpoint.Restore(model, optimizer, scheduler, Generator.Default);
            history.Epochs.AddRange(MetricsLog.KeepUpTo(run.Metrics, history.Position.Step));
            return history;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"cannot resume {run.Path}: {e.Message}", e);
        }
    }

    private static RunConfig NewConfig(string command, TrainSettings s, ModelRecipe recipe, int trainCount, int testCount) =>
        new(command, recipe.Metadata, Optimizers.Name(s.Optimizer), s.Epochs, s.BatchSize, s.LearningRate, LearningRates.Name(s.Schedule), s.Seed,
            s.Threads, Path.GetFullPath(s.DataDirectory), trainCount, testCount,
            DateTimeOffset.Now.ToString("o", CultureInfo.InvariantCulture), Versions.Library, s.CheckpointEvery,
            s.Momentum, s.WeightDecay, s.Augment);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The epochs and steps of one run, from where its history ends, reporting to a progress view.</summary>
    private sealed class Loop(TrainSettings settings, Module<Tensor, Tensor> model, Optimizer optimizer, LrScheduler? scheduler, DataLoader loader,
        TensorDataset test, ModelRecipe recipe, RunConfig config, RunFolder run, RunHistory history)
    {
        /// <summary>The step after which --stop-after-steps stopped the run, or null when it ran to the end.</summary>
        public long? StoppedAt { get; private set; }

        /// <summary>The test-split evaluation after the last epoch this session trained, or null if it finished none.</summary>
        public Evaluation? LastEvaluation { get; private set; }

        public void Run(ITrainingProgress progress, MetricsLog metrics)
        {
            var stepLosses = history.StepLosses;
            var stepCorrect = history.StepCorrect;
            // About ten loss rows per epoch in metrics.csv, each the mean over its window of steps.
            int logEvery = Math.Clamp(loader.Count / 10, 1, 50);
            var clock = Stopwatch.StartNew();
            double Seconds() => history.Seconds + clock.Elapsed.TotalSeconds;
            long step = history.Position.Step;
            model.Train();
            for (int epoch = history.Position.Epoch + 1; epoch <= settings.Epochs; epoch++)
            {
                int skip = epoch == history.Position.Epoch + 1 ? history.Position.Batch : 0;
                progress.BeginEpoch(epoch);
                var epochClock = Stopwatch.StartNew();
                double epochLoss = 0, windowLoss = 0, lr = optimizer.LearningRate;
                int batches = skip, window = 0;
                long samples = 0, epochCorrect = 0, epochSamples = (long)skip * loader.BatchSize;   // skipped batches are full ones
                // A resumed epoch replays the sums over the batches it skips, in the same order, so its means are the same bits.
                for (long s = step - skip; s < step; s++)
                {
                    epochLoss += stepLosses[(int)s];
                    epochCorrect += stepCorrect[(int)s];
                    windowLoss += stepLosses[(int)s];
                    if (++window == logEvery) { windowLoss = 0; window = 0; }
                }
                foreach (var (x, y) in loader.Batches(epoch, skip))
                {
                    lr = optimizer.LearningRate;
                    var logits = model.Call(x);   // [B, classes]
                    var loss = Functional.CrossEntropy(logits, y);
                    int correct = (int)logits.ArgMax(1).Eq(y).CountNonZero();
                    optimizer.ZeroGrad();
                    loss.Backward();
                    optimizer.Step();
                    scheduler?.Step();

                    double value = loss.Item();
                    if (!double.IsFinite(value))
                        throw new InvalidOperationException(Invariant($"training diverged: the loss is {value} at step {step + 1} (lr {lr:G4}); try a smaller --lr"));
                    step++; batches++; window++;
                    samples += x.Shape[0];
                    epochSamples += x.Shape[0];
                    epochLoss += value;
                    epochCorrect += correct;
                    windowLoss += value;
                    stepLosses.Add(value);
                    stepCorrect.Add(correct);
                    progress.Step(batches, value, samples / epochClock.Elapsed.TotalSeconds);
                    if (window == logEvery)
                    {
                        metrics.Step(epoch, step, windowLoss / window, lr, Seconds());
                        windowLoss = 0;
                        window = 0;
                    }
                    if (batches == loader.Count) continue;   // the epoch's end saves the state below
                    if (settings.CheckpointEvery > 0 && step % settings.CheckpointEvery == 0)
                        SaveCheckpoint(new TrainingPosition(epoch - 1, batches, step), Seconds());
                    if (StopsAt(step)) return;
                }
                double stepSeconds = epochClock.Elapsed.TotalSeconds;

                progress.Evaluating();
                var evaluation = Evaluation.Run(model, test, EvaluationBatchSize);
                LastEvaluation = evaluation;
                var result = new EpochResult(epoch, step, epochLoss / batches, (double)epochCorrect / epochSamples, evaluation.Loss, evaluation.Accuracy, lr,
                    samples > 0 ? samples / stepSeconds : double.NaN, Seconds());
                metrics.Epoch(result);
                history.Epochs.Add(result);
                var metadata = new Dictionary<string, string>(recipe.Metadata)
                {
                    ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
                    ["test_accuracy"] = evaluation.Accuracy.ToString("G6", CultureInfo.InvariantCulture),
                };
                Checkpoint.Save(run.Model, model, metadata);
                SaveCheckpoint(new TrainingPosition(epoch, 0, step), result.Seconds);
                progress.EndEpoch(result);
                if (StopsAt(step)) return;
            }
        }

        private void SaveCheckpoint(TrainingPosition position, double seconds) =>
            TrainingCheckpoint.Save(run.Checkpoint, model, optimizer, position, scheduler, Generator.Default,
                RunHistory.Metadata(recipe.Metadata, config, history.StepLosses, history.StepCorrect, seconds));

        private bool StopsAt(long step)
        {
            if (settings.StopAfterSteps is not long stop || step < stop) return false;
            StoppedAt = step;
            return true;
        }
    }
}
