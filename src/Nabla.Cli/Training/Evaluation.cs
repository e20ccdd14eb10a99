using Nabla.Data;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Training;

/// <summary>Mean cross-entropy, accuracy and the predicted class of every sample of a classifier over a dataset.</summary>
/// <param name="Loss">Mean cross-entropy per sample.</param>
/// <param name="Accuracy">Fraction classified correctly, in [0, 1].</param>
/// <param name="Correct">Samples classified correctly.</param>
/// <param name="Count">Samples evaluated.</param>
/// <param name="Predictions">The predicted class (arg max of the logits) of each sample, in dataset order.</param>
internal sealed record Evaluation(double Loss, double Accuracy, long Correct, int Count, long[] Predictions)
{
    /// <summary>Runs <paramref name="model"/> in eval mode, without gradients, over <paramref name="data"/> in batches.</summary>
    public static Evaluation Run(Module<Tensor, Tensor> model, TensorDataset data, int batchSize)
    {
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            double lossSum = 0;
            long correct = 0;
            var predictions = new long[data.Count];
            int at = 0;
            foreach (var (x, y) in new DataLoader(data, batchSize))
            {
                var logits = model.Call(x);   // [B, classes]
                lossSum += Functional.CrossEntropy(logits, y, reduction: Reduction.Sum).Item();
                var predicted = logits.ArgMax(1);
                correct += predicted.Eq(y).CountNonZero();
                predicted.ToArray<long>().CopyTo(predictions, at);
                at += y.Shape[0];
            }
            return new Evaluation(lossSum / data.Count, (double)correct / data.Count, correct, data.Count, predictions);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>The line every evaluating command ends with: "test accuracy: 97.95%".</summary>
    public static string AccuracyLine(double accuracy) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"test accuracy: {accuracy * 100:F2}%");
}
