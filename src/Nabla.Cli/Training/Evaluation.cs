using Nabla.Data;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Training;

/// <summary>Mean cross-entropy and accuracy of a classifier over a dataset.</summary>
/// <param name="Loss">Mean cross-entropy per sample.</param>
/// <param name="Accuracy">Fraction classified correctly, in [0, 1].</param>
/// <param name="Correct">Samples classified correctly.</param>
/// <param name="Count">Samples evaluated.</param>
internal sealed record Evaluation(double Loss, double Accuracy, long Correct, int Count)
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
            foreach (var (x, y) in new DataLoader(data, batchSize))
            {
                var logits = model.Call(x);   // [B, classes]
                lossSum += Functional.CrossEntropy(logits, y, reduction: Reduction.Sum).Item();
                correct += logits.ArgMax(1).Eq(y).CountNonZero();
            }
            return new Evaluation(lossSum / data.Count, (double)correct / data.Count, correct, data.Count);
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
