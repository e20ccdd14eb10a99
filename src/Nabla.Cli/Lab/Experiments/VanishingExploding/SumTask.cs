using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.VanishingExploding;

/// <summary>A sequence task a small RNN learns in a few hundred steps: inputs x_t ~ N(0, 1) for t = 1 … T, one feature;
/// the target, read after the last step, is their scaled sum y = Σ_t x_t / √T, so y ~ N(0, 1).</summary>
/// <remarks>Every step matters equally, so the gradient must flow through all T steps. Predicting 0 (the mean) scores a
/// mean squared error of Var(y) = 1, the baseline a trained network must beat.</remarks>
internal sealed class SumTask(int length)
{
    /// <summary>T, steps per sequence.</summary>
    public int Length { get; } = length > 0 ? length : throw new ArgumentOutOfRangeException(nameof(length), length, "SumTask: the length must be positive");

    /// <summary>The mean squared error of always answering 0.</summary>
    public const double BaselineMse = 1.0;

    /// <summary><paramref name="count"/> sequences [count, T, 1] and their targets [count, 1] (float32).</summary>
    public (Tensor Input, Tensor Target) Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var input = new float[count * Length];
        var target = new float[count];
        double scale = 1 / Math.Sqrt(Length);
        for (int b = 0; b < count; b++)
        {
            double sum = 0;
            for (int t = 0; t < Length; t++)
            {
                input[b * Length + t] = (float)generator.NextNormal();
                sum += input[b * Length + t];
            }
            target[b] = (float)(sum * scale);
        }
        return (Tensor.Wrap(input, [count, Length, 1]), Tensor.Wrap(target, [count, 1]));
    }
}
