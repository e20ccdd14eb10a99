using Nabla.Cli.Generative;
using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Plots;
using Nabla.Optim;

namespace Nabla.Cli.Lab.Experiments.Dropout;

/// <summary>Dropout against overfitting: the same 784-800-800-10 network, from the same initial weights, trained for
/// many epochs on a small MNIST subset with dropout p = 0, 0.2 and 0.5; the gap between training and test accuracy is
/// measured after every epoch.</summary>
internal sealed class DropoutExperiment : ILabExperiment
{
    /// <summary>The dropout probabilities compared, in increasing order; the first is the plain network.</summary>
    public static readonly double[] Probabilities = [0, 0.2, 0.5];

    private const double LearningRate = 0.01, Momentum = 0.9;
    private const int Hidden = 800;

    /// <inheritdoc/>
    public string Name => "dropout";

    /// <inheritdoc/>
    public string Title => "Dropout: the gap between training and test accuracy";

    /// <inheritdoc/>
    public string Claim => "Dropout reduces overfitting: with dropout the gap between training and test accuracy shrinks, and test accuracy is no worse.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        int trainCount = context.Pick(120, 1_000, 2_000), testCount = context.Pick(60, 5_000, 10_000);
        int epochs = context.Pick(3, 30, 60), batchSize = 64, hidden = Hidden;
        var train = ClassifierTrainer.Head(context.Mnist(train: true, normalize: true), trainCount);
        var test = ClassifierTrainer.Head(context.Mnist(train: false, normalize: true), testCount);
        int steps = epochs * ((train.Count + batchSize - 1) / batchSize);
        int tail = Math.Max(1, epochs / 10);

        long parameters = DropoutMlp.Build(hidden, 0, context.Random(1), context.Random(2)).ParameterCount();
        report.Setup($"An MLP 784→{hidden}→{hidden}→10 with ReLUs and dropout with probability p after each hidden layer ({LabFormat.N(parameters)} parameters) "
            + $"is trained on only the first {LabFormat.N(train.Count)} MNIST training images (normalized), for {epochs} epochs of batch {batchSize} ({LabFormat.N(steps)} steps), "
            + $"with SGD (lr {LabFormat.G(LearningRate)}, momentum {LabFormat.G(Momentum)}, as in the dropout paper), cross-entropy, seed {context.Seed}, once for each p in {{{string.Join(", ", Probabilities.Select(p => LabFormat.G(p)))}}}. "
            + "Every run starts from the same weights and sees the batches in the same order. After every epoch, accuracy is measured in evaluation mode (no dropout) "
            + $"on the whole training subset and on {LabFormat.N(test.Count)} test images. \"Final\" figures are means over the last {tail} epoch(s), so one lucky epoch does not decide.");

        var runs = new List<(double P, ClassifierTrainer.History History)>();
        foreach (double p in Probabilities)
        {
            context.Say($"training with dropout p = {LabFormat.G(p)} ({epochs} epochs)");
            var model = DropoutMlp.Build(hidden, p, context.Random(1), context.Random(2));
            var history = ClassifierTrainer.Train(model, new Sgd(model.Parameters(), LearningRate, momentum: Momentum), train, test, epochs, batchSize, context.Seed,
                log: line => { if (context.Scale != LabScale.Full) context.Say(line); });
            runs.Add((p, history));
        }

        double Final(ClassifierTrainer.History h, Func<ClassifierTrainer.EpochPoint, double> pick) => h.Epochs.Skip(h.Epochs.Count - tail).Average(pick);
        var gaps = runs.Select(r => 100 * (Final(r.History, e => e.TrainAccuracy) - Final(r.History, e => e.TestAccuracy))).ToList();
        var tests = runs.Select(r => 100 * Final(r.History, e => e.TestAccuracy)).ToList();

        var table = new LabTable("dropout p", "final train accuracy", "final test accuracy", "gap (points)", "best test accuracy (epoch)", "final test loss");
        foreach (var ((p, history), gap) in runs.Zip(gaps))
        {
            var best = history.Epochs.MaxBy(e => e.TestAccuracy)!;
            table.Row(LabFormat.G(p), LabFormat.Percent(Final(history, e => e.TrainAccuracy)), LabFormat.Percent(Final(history, e => e.TestAccuracy)), LabFormat.F(gap, 2),
                $"{LabFormat.Percent(best.TestAccuracy)} ({best.Epoch})", LabFormat.F(Final(history, e => e.TestLoss), 4));
            string key = "p" + LabFormat.G(p).Replace(".", "", StringComparison.Ordinal);
            report.Number($"{key}_train_accuracy", Final(history, e => e.TrainAccuracy)).Number($"{key}_test_accuracy", Final(history, e => e.TestAccuracy))
                .Number($"{key}_gap_points", gap).Number($"{key}_best_test_accuracy", best.TestAccuracy).Number($"{key}_test_loss", Final(history, e => e.TestLoss));
        }
        report.Section("Training against test accuracy").Table(table);
        double lowestTrain = runs.Min(r => Final(r.History, e => e.TrainAccuracy));
        if (lowestTrain >= 0.999)
            report.Text($"Every run ends fitting its {LabFormat.N(train.Count)} training images (final training accuracy ≥ {LabFormat.Percent(lowestTrain)}), dropout included: "
                + "here the gap shrinks because test accuracy rises, not because training accuracy falls.");

        var epochAxis = Enumerable.Range(1, epochs).Select(e => (double)e).ToArray();
        // The y axis starts a little below the test accuracy after the first fifth of training, so the gap fills the panel.
        double low = runs.SelectMany(r => r.History.Epochs.Skip(epochs / 5).Select(e => Math.Min(e.TestAccuracy, e.TrainAccuracy))).Min();
        (double, double) limits = (Math.Max(0, 100 * low - 5), 100.5);
        var panels = runs.Select(r => new Panel($"dropout p = {LabFormat.G(r.P)}", "epoch", "accuracy (%)",
        [
            new Series("train", epochAxis, [.. r.History.Epochs.Select(e => 100 * e.TrainAccuracy)], ScottPlot.Colors.SteelBlue),
            new Series("test", epochAxis, [.. r.History.Epochs.Select(e => 100 * e.TestAccuracy)], ScottPlot.Colors.OrangeRed),
        ], limits)).ToList();
        SeriesPlot.Save(context.PathOf("accuracy.png"), panels, panelWidth: 450, height: 420);
        report.Image("accuracy.png", $"Training (evaluation mode) and test accuracy after every epoch, one panel per p, on {LabFormat.N(train.Count)} training images.");

        Chart.Save(context.PathOf("gap.png"), "Training − test accuracy after every epoch", "epoch", "gap (percentage points)",
            runs.Select(r => new Chart.Series($"p = {LabFormat.G(r.P)}", epochAxis, [.. r.History.Epochs.Select(e => 100 * (e.TrainAccuracy - e.TestAccuracy))])));
        report.Image("gap.png", "The generalization gap per epoch: how much better the network does on the images it trained on than on new ones.");

        double lowest = runs.Min(r => r.History.Epochs.Min(e => e.TestLoss));
        Chart.Save(context.PathOf("test-loss.png"), "Test loss after every epoch", "epoch", "cross-entropy on test images",
            runs.Select(r => new Chart.Series($"p = {LabFormat.G(r.P)}", epochAxis, [.. r.History.Epochs.Select(e => e.TestLoss)])), yLimits: (0.9 * lowest, 2 * lowest));
        report.Image("test-loss.png", "Test cross-entropy per epoch (the axis stops at twice the lowest value). Once training accuracy is 100%, a rising test loss is the network growing ever more confident, including in its mistakes on new images.");
        report.Text("Test loss, lowest and last: " + string.Join("; ", runs.Select(r =>
        {
            var min = r.History.Epochs.MinBy(e => e.TestLoss)!;
            return $"p = {LabFormat.G(r.P)}: {LabFormat.F(min.TestLoss, 4)} at epoch {min.Epoch}, {LabFormat.F(r.History.Last.TestLoss, 4)} at epoch {r.History.Last.Epoch}";
        })) + ".");

        report.Section("Why");
        report.Text($"With {LabFormat.N(train.Count)} images and {LabFormat.N(parameters)} weights, the network can memorize the training set: its training accuracy climbs towards 100% while test accuracy stalls, and the gap between the two is overfitting. "
            + "Dropout multiplies every hidden unit, in each training step, by an independent mask m ~ Bernoulli(1 − p) / (1 − p): the unit is zeroed with probability p and the survivors are scaled up so the expected activation is unchanged, "
            + "`E[m·h] = h`. No unit can rely on particular others being present, so features must be useful on their own (less co-adaptation), and each step trains a different thinned sub-network; "
            + "at test time dropout is off and the full network, with the same expected activations, acts as a cheap average of that ensemble of 2ⁿ sub-networks. "
            + "The noise makes the training set harder to fit exactly, which is the point: the network is pushed towards solutions that also work on images it has not seen.");

        double noise = 200 * AccuracyStatistics.DifferenceStandardError(tests[0] / 100, tests[^1] / 100, test.Count);
        var verdict = GapRule.Decide(gaps, tests, noise);
        report.Number("noise_points", noise);
        report.Text($"Verdict rule: **supported** if the final gap falls from each p to the next (a rise of up to {LabFormat.F(GapRule.TolerancePoints, 1)} points tolerated), by at least "
            + $"max({LabFormat.F(GapRule.MinimumShrinkPoints, 0)} point, two standard errors of the test accuracies' difference = {LabFormat.F(noise, 2)} points) from p = 0 to p = {LabFormat.G(Probabilities[^1])} in all, "
            + $"and every dropout run's final test accuracy is at least the plain network's minus {LabFormat.F(GapRule.TolerancePoints, 1)} points; **not supported** if the gap at p = {LabFormat.G(Probabilities[^1])} is no smaller than at p = 0, "
            + "or the best dropout run's test accuracy is lower than the plain network's by more than that noise margin; inconclusive otherwise.");
        report.Conclude(verdict,
            $"Final gap {string.Join(" → ", gaps.Select(g => LabFormat.F(g, 2)))} points and test accuracy {string.Join(" → ", tests.Select(t => LabFormat.F(t, 2) + "%"))} "
            + $"for p = {string.Join(", ", Probabilities.Select(p => LabFormat.G(p)))}.");

        report.Change("--seed S draws other initial weights, masks and batch order; --threads N sets the CPU threads.");
        report.Change("The optimizer: `LearningRate` and `Momentum` in `DropoutExperiment`.");
        report.Change($"The dropout probabilities: `DropoutExperiment.Probabilities`; the subset size and epochs: `trainCount` and `epochs` in `DropoutExperiment.Run` (now {LabFormat.N(train.Count)} images, {epochs} epochs).");
        report.Change("The network: `DropoutMlp.Build` (dropout after each hidden ReLU; the paper also drops 20% of the input pixels).");
    }
}
