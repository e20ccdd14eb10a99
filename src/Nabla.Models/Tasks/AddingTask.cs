using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models.Tasks;

/// <summary>The adding problem: two channels, values v_t ~ U(0, 1) and markers m_t ∈ {0, 1} with exactly two ones; the
/// target is the sum of the two marked values, y = Σ_t m_t·v_t ∈ [0, 2), read after the last step.</summary>
/// <remarks>
/// Input [B, T, 2] (channel 0 the values, channel 1 the markers), target [B, 1] float32. The first marker falls
/// uniformly in the first half of the sequence (steps 0 … ⌊T/2⌋ − 1), the second in the rest, so the first marked
/// value must be held for at least T − ⌊T/2⌋ steps. After Hochreiter and Schmidhuber
/// ("Long Short-Term Memory", 1997, experiment 4), with values in [0, 1] rather than [−1, 1].
/// Loss: mean squared error; always answering the mean, 1, scores Var(v₁ + v₂) = 1/6 ≈ 0.167. An answer is correct when
/// |ŷ − y| &lt; <see cref="Tolerance"/> (Hochreiter's criterion); the task is solved at a test MSE below
/// <see cref="SolvedMse"/>.
/// </remarks>
public sealed class AddingTask : MemoryTask
{
    /// <summary>The absolute error below which an answer counts as correct.</summary>
    public const double Tolerance = 0.04;

    /// <summary>The test mean squared error below which the task counts as solved.</summary>
    public const double SolvedMse = 0.01;

    /// <summary>Creates the task over sequences of <paramref name="length"/> steps.</summary>
    public AddingTask(int length) : base(length) { }

    /// <inheritdoc/>
    public override int InputSize => 2;

    /// <inheritdoc/>
    public override int Outputs => 1;

    /// <summary>P(|v₁ + v₂ − 1| &lt; 0.04) for the constant answer 1: the triangular density of v₁ + v₂ peaks at 1, so
    /// it is 1 − (1 − 0.04)² = 0.0784.</summary>
    public override double ChanceAccuracy => 1 - (1 - Tolerance) * (1 - Tolerance);

    /// <inheritdoc/>
    public override string Name => "adding";

    /// <inheritdoc/>
    public override (Tensor Input, Tensor Target) Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(generator);
        var input = new float[count * Length * 2];   // [B, T, 2]
        var target = new float[count];
        int half = Length / 2;
        for (int b = 0; b < count; b++)
        {
            int row = b * Length * 2;
            for (int t = 0; t < Length; t++) input[row + 2 * t] = generator.NextSingle();
            int first = (int)generator.NextInt64(half), second = half + (int)generator.NextInt64(Length - half);
            input[row + 2 * first + 1] = 1;
            input[row + 2 * second + 1] = 1;
            target[b] = input[row + 2 * first] + input[row + 2 * second];
        }
        return (Tensor.Wrap(input, [count, Length, 2]), Tensor.Wrap(target, [count, 1]));
    }

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor target) => Functional.MseLoss(output, target);

    /// <inheritdoc/>
    public override long CountCorrect(Tensor output, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Sub(target).Abs().Lt(Tolerance).CountNonZero();
    }

    /// <inheritdoc/>
    public override bool IsSolved(double loss, double accuracy) => loss < SolvedMse;
}
