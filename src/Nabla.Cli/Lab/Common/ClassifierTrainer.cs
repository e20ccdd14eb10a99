using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Common;

/// <summary>The plain supervised loop the lab's image experiments share: cross-entropy, one optimizer, seeded
/// shuffling, and the measurements the reports plot (loss per step, accuracy per epoch on training and test data).</summary>
internal static class ClassifierTrainer
{
    /// <summary>One epoch's measurements.</summary>
    /// <param name="Epoch">1-based.</param>
    /// <param name="TrainLoss">Mean cross-entropy over the epoch's batches, measured while training.</param>
    /// <param name="TrainAccuracy">Accuracy on the training set after the epoch (evaluation mode).</param>
    /// <param name="TestAccuracy">Accuracy on the test set after the epoch (evaluation mode).</param>
    /// <param name="TestLoss">Mean cross-entropy on the test set after the epoch.</param>
    public sealed record EpochPoint(int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy, double TestLoss);

    /// <summary>What a training run measured.</summary>
    /// <param name="StepLosses">The loss of every optimizer step, in order.</param>
    /// <param name="Epochs">One point per epoch.</param>
    /// <param name="Seconds">Wall time of the training (evaluations included).</param>
    public sealed record History(IReadOnlyList<double> StepLosses, IReadOnlyList<EpochPoint> Epochs, double Seconds)
    {
        /// <summary>The last epoch's point.</summary>
        public EpochPoint Last => Epochs[^1];
    }

    /// <summary>Trains <paramref name="model"/> for <paramref name="epochs"/> epochs of <paramref name="train"/> and
    /// measures it after each.</summary>
    /// <param name="model">Maps a batch of inputs to class logits [N, classes].</param>
    /// <param name="optimizer">Updates the model's parameters.</param>
    /// <param name="train">Training inputs and int64 labels.</param>
    /// <param name="test">Test inputs and labels.</param>
    /// <param name="epochs">Passes over <paramref name="train"/>.</param>
    /// <param name="batchSize">Samples per step.</param>
    /// <param name="seed">Fixes every epoch's shuffled order.</param>
    /// <param name="beforeStep">Runs after backward and before the optimizer step (gradient clipping, statistics); may be null.</param>
    /// <param name="log">Says one line per epoch, or null.</param>
    public static History Train(Module<Tensor, Tensor> model, Optimizer optimizer, TensorDataset train, TensorDataset test, int epochs, int batchSize,
        long seed, Action<int>? beforeStep = null, Action<string>? log = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var loader = new DataLoader(train, batchSize, shuffle: true, seed: seed);
        var losses = new List<double>();
        var points = new List<EpochPoint>();
        int step = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            model.Train();
            double sum = 0;
            int batches = 0;
            foreach (var (x, y) in loader.Batches(epoch))
            {
                var loss = Functional.CrossEntropy(model.Call(x), y);
                optimizer.ZeroGrad();
                loss.Backward();
                beforeStep?.Invoke(step);
                optimizer.Step();
                double value = loss.Item<float>();
                losses.Add(value);
                sum += value;
                batches++;
                step++;
            }
            var (trainAccuracy, _) = Evaluate(model, train);
            var (testAccuracy, testLoss) = Evaluate(model, test);
            points.Add(new EpochPoint(epoch + 1, sum / Math.Max(1, batches), trainAccuracy, testAccuracy, testLoss));
            log?.Invoke(FormattableString.Invariant(
                $"epoch {epoch + 1}/{epochs}: loss {sum / Math.Max(1, batches):F4}, train accuracy {trainAccuracy:P2}, test accuracy {testAccuracy:P2}"));
        }
        return new History(losses, points, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Accuracy and mean cross-entropy of <paramref name="model"/> on <paramref name="data"/>, in evaluation mode
    /// without recording gradients; the model's mode is restored.</summary>
    public static (double Accuracy, double Loss) Evaluate(Module<Tensor, Tensor> model, TensorDataset data, int batchSize = 1000)
    {
        bool training = model.Training;
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            long correct = 0;
            double loss = 0;
            foreach (var (x, y) in new DataLoader(data, batchSize))
            {
                var logits = model.Call(x);
                correct += logits.ArgMax(1).Eq(y).CountNonZero();
                loss += Functional.CrossEntropy(logits, y, reduction: Reduction.Sum).Item<float>();
            }
            return ((double)correct / data.Count, loss / data.Count);
        }
        finally
        {
            model.Train(training);
        }
    }

    /// <summary>The first <paramref name="count"/> samples of <paramref name="data"/> (all if it has fewer).</summary>
    public static TensorDataset Head(TensorDataset data, int count)
    {
        int n = Math.Min(count, data.Count);
        return new TensorDataset(data.Inputs.Narrow(0, 0, n), data.Targets.Narrow(0, 0, n));
    }
}
